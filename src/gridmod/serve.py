"""`gridmod serve`: a local preview of filings and the site, rebuilt when a file changes.

Each rebuild validates the filings (structure and content by default), renders the report source of the
valid ones and builds the site with MkDocs into a fresh folder outside the repository; the server then
switches to it. Every HTML page gets a panel with the current findings (also of filings too broken to
render) and reloads itself when a newer build is ready. PDF and Word files are not made in the preview:
that is `gridmod build`'s slower job.

The server listens on 127.0.0.1 only and answers only requests addressed to that host, so that no other
machine and no web page using DNS rebinding can read a filing before it is filed.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from gridmod.filing import DESCRIPTOR, file_digest, find_filings, stamp_resources
from gridmod.findings import Finding, PackageResult
from gridmod.validate import PHASES

STATUS = "/__gridmod/status"
_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_IGNORED = re.compile(r"(^\.|~$|\.sw[a-p]$|\.tmp$|^#.*#$|__pycache__)")


@dataclass
class Build:
    generation: int
    folder: Path | None  # holds site/ and reports/; None before the first build
    packages: list[PackageResult] = field(default_factory=list)
    error: str | None = None
    stamped: list[str] = field(default_factory=list)
    finished: datetime = field(default_factory=datetime.now)
    seconds: float = 0.0

    @property
    def site(self) -> Path | None:
        return self.folder / "site" if self.folder and (self.folder / "site" / "index.html").is_file() else None


PREVIEW_FORMATS = ("qmd",)


def build_preview(root: Path, paths: list[Path] | None, phases: tuple[str, ...], out: Path) -> Build:
    """Run the build's stages into `out`: validate, render the report sources of valid filings, prepare
    their web editions and build the site. Every profile goes through its engine (gridmod.engines), as in
    `gridmod build`; only the PDF and Word files are left out. A filing that cannot be rendered is named in
    the build's error and left out; the others are shown."""
    from gridmod.errors import GridmodError
    from gridmod.render import render_filing
    from gridmod.scaffold import unwritten_narratives
    from gridmod.site import build_site
    from gridmod.site.prepare import prepare_filing
    from gridmod.validate import validate

    started = time.monotonic()
    report, validated = validate(paths, root, phases)
    build = Build(0, out, packages=report.packages)
    reports_dir, editions = out / "reports", out / "editions"
    reports_dir.mkdir(parents=True, exist_ok=True)
    built = []
    errors = []
    for number, item in enumerate(validated):
        if item.profile is not None:
            item.result.notes += [
                f"{path} holds only the guidance notes: write the section there."
                for path in unwritten_narratives(item.filing.folder, item.profile)
            ]
        if not item.result.valid or item.profile is None:
            continue
        try:
            rendered = render_filing(item.filing, item.profile, item.result, reports_dir, PREVIEW_FORMATS)
            rendered.web = prepare_filing(rendered, reports_dir, editions / f"{number:03d}")
        except (GridmodError, OSError, KeyError, ValueError) as exc:  # the preview names it and shows the rest
            errors.append(f"{item.filing.rel} cannot be rendered: {exc}")
            continue
        built.append(rendered)
    try:
        build_site(root, built, reports_dir, out / "site")
    except GridmodError as exc:
        errors.append(str(exc))
    build.error = "\n".join(errors) or None
    build.seconds = time.monotonic() - started
    return build


class Preview:
    """The preview server and its rebuild loop; `start()` builds once and serves, `stop()` ends both."""

    def __init__(
        self,
        root: Path,
        paths: list[Path] | None = None,
        *,
        port: int = 8000,
        stamp: bool = False,
        phases: tuple[str, ...] = PHASES[:2],
        on_event: Callable[[str], None] | None = None,
        quiet_seconds: float = 0.3,
    ) -> None:
        self.root = root
        self.paths = paths
        self.port = port
        self.stamp = stamp
        self.phases = phases
        self.on_event = on_event or (lambda message: None)
        self.quiet_seconds = quiet_seconds
        self.current = Build(0, None)
        self.building = False
        self._work = Path(tempfile.mkdtemp(prefix="gridmod-serve-"))
        self._changed = threading.Event()
        self._stopping = threading.Event()
        self._last_change = 0.0
        self._fingerprint: tuple = ()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._observer: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        """Bind the port (an OSError when it is taken, before any work), build once, then serve and watch."""
        self._server = _Server(("127.0.0.1", self.port), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.rebuild()
        self._spawn(self._server.serve_forever, "gridmod-serve-http")
        self._spawn(self._loop, "gridmod-serve-rebuild")
        self._watch()

    def stop(self) -> None:
        self._stopping.set()
        self._changed.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._server is not None:
            if any(t.name == "gridmod-serve-http" for t in self._threads):
                self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=30)
        shutil.rmtree(self._work, ignore_errors=True)

    def wait_for(self, generation: int, timeout: float = 60.0) -> Build:
        """The first build numbered `generation` or later (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while self.current.generation < generation or self.building:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no build {generation} within {timeout} s")
            time.sleep(0.05)
        return self.current

    def changed(self) -> None:
        self._last_change = time.monotonic()
        self._changed.set()

    def rebuild(self) -> Build:
        self.building = True
        try:
            stamped = self._stamp() if self.stamp else []
            self._fingerprint = self._inputs()
            generation = self.current.generation + 1
            folder = self._work / f"build-{generation}"
            try:
                build = build_preview(self.root, self.paths, self.phases, folder)
            except Exception as exc:  # noqa: BLE001 - the preview reports, keeps serving the last good site
                build = Build(generation, None, error=f"{type(exc).__name__}: {exc}")
            build.generation, build.stamped = generation, stamped
            if build.site is None and self.current.site is not None:
                build.folder = self.current.folder  # keep showing the last site that built
            previous = self.current
            self.current = build
            if previous.folder and previous.folder != build.folder:
                shutil.rmtree(previous.folder, ignore_errors=True)
            self.on_event(_summary(build))
            return build
        finally:
            self.building = False

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._changed.wait()
            if self._stopping.is_set():
                return
            while time.monotonic() - self._last_change < self.quiet_seconds:
                time.sleep(self.quiet_seconds / 3)
            self._changed.clear()
            if self._inputs() != self._fingerprint:
                self.rebuild()

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watched(self) -> list[Path]:
        folders = [p for p in (self.paths or [self.root / "data"])]
        folders += [self.root / "validation", self.root / "templates", self.root / "mkdocs.yml"]
        return [p for p in folders if p.exists()]

    def _watch(self) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        preview = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:  # type: ignore[no-untyped-def]
                names = [Path(os.fsdecode(p)).name for p in (event.src_path, getattr(event, "dest_path", "")) if p]
                if event.is_directory and event.event_type == "modified":
                    return
                if names and all(_IGNORED.search(name) for name in names):
                    return
                preview.changed()

        observer = Observer()
        for path in self._watched():
            target = path if path.is_dir() else path.parent
            observer.schedule(Handler(), str(target), recursive=path.is_dir())
        observer.daemon = True
        observer.start()
        self._observer = observer

    def _inputs(self) -> tuple:
        """Size and modification time of every watched file: a rebuild only when one of them changed."""
        seen = []
        for path in self._watched():
            files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
            for file in files:
                if _IGNORED.search(file.name):
                    continue
                try:
                    stat = file.stat()
                except OSError:
                    continue
                seen.append((str(file), stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(seen))

    def _stamp(self) -> list[str]:
        """Record sizes and hashes of changed files; datapackage.json is rewritten only when one differs."""
        stamped = []
        for folder in find_filings(self.root, self.paths):
            try:
                descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8-sig"))
                stale = False
                for res in descriptor.get("resources", []):
                    target = (folder / str(res.get("path", ""))).resolve()
                    if folder.resolve() in target.parents and target.is_file():
                        size, digest = file_digest(target)
                        stale = stale or res.get("bytes") != size or res.get("hash") != digest
                if stale:
                    stamped += [f"{folder.name}/{name}" for name in stamp_resources(folder)]
            except (OSError, ValueError, AttributeError, TypeError):
                continue  # validation reports what is wrong with the descriptor
        return stamped


def _summary(build: Build) -> str:
    counts = [
        f"{p.path}: {'valid' if p.valid else 'NOT valid'} ({_plural(p.counts()['error'], 'error')})"
        for p in build.packages
    ]
    text = f"Build {build.generation} in {build.seconds:.1f} s: " + ("; ".join(counts) or "no filing found")
    if build.stamped:
        text += f"; stamped {', '.join(build.stamped)}"
    if build.error:
        text += f"\n{build.error}"
    return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def panel(build: Build) -> str:
    """The findings panel every preview page carries, as HTML; every value is escaped."""
    e = html.escape
    parts = [
        f'<div id="gridmod-preview" role="region" aria-label="Validation findings" style="{_PANEL}">',
        f"<strong>gridmod preview</strong> — build {build.generation}, {build.finished:%H:%M:%S}, "
        f"{build.seconds:.1f} s. Structure and content checks; PDF and Word files are made by "
        "<code>gridmod build</code>.",
    ]
    if build.error:
        parts.append(f'<pre style="white-space:pre-wrap;color:#8a1c1c">{e(build.error)}</pre>')
    for package in build.packages:
        counts = package.counts()
        state = "valid" if package.valid else "NOT valid: not shown in the site until its errors are fixed"
        parts.append(
            f"<details{'' if package.valid else ' open'}><summary><code>{e(package.path)}</code>: "
            f"{e(state)} — {_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
            f"{counts['explain']} need explanation</summary><ul>"
        )
        for finding in package.findings:
            parts.append(_finding_item(finding))
        parts.append("</ul>")
        parts += [f"<p><em>Note:</em> {e(note)}</p>" for note in package.notes]
        parts.append("</details>")
    if not build.packages:
        parts.append("<p>No filing found: a filing is a folder with a datapackage.json.</p>")
    parts.append("</div>")
    parts.append(
        f"<script>(function(){{var g={build.generation};setInterval(function(){{fetch('{STATUS}',"
        "{cache:'no-store'}).then(function(r){return r.json()}).then(function(s){if(s.generation!==g)"
        "location.reload()}).catch(function(){})},1000)})();</script>"
    )
    return "".join(parts)


def _finding_item(f: Finding) -> str:
    e = html.escape
    where = f.path + (f":{f.line}" if f.line else "") + (f":{f.column}" if f.line and f.column else "")
    label = "explained" if not f.is_open else {"explain": "needs explanation"}.get(f.severity, f.severity)
    fix = f"How to fix: {f.hint}" if f.is_open else f"Explanation: {f.explanation}"
    return (
        f'<li><code>{e(where)}</code> {e(label)} <a href="/rules/{e(f.code.lower())}/">{e(f.code)}</a>: '
        f"{e(f.message)}<br><small>{e(fix)}</small></li>"
    )


_PANEL = (
    "position:relative;z-index:10;background:#fff8e1;color:#1a1a1a;border-bottom:2px solid #b58100;"
    "padding:.5em 1em;font:14px/1.45 system-ui,sans-serif;max-height:45vh;overflow:auto"
)


# A browser drops connections all the time (a page left before its images arrived, a reload): nothing to
# report. Anything else a request runs into is still printed.
_DROPPED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], _DROPPED):
            return
        super().handle_error(request, client_address)


def _handler(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            site = preview.current.site
            super().__init__(*args, directory=str(site or preview._work), **kwargs)

        def log_message(self, format: str, *args) -> None:  # type: ignore[no-untyped-def] # noqa: A002
            return

        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            self._answer(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(head=True)

        def _answer(self, head: bool) -> None:
            """GET, or HEAD: the same status and headers without the body."""
            self.head = head
            port = preview.port
            if self.headers.get("Host", "") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
                self.send_error(403, "The preview answers only requests to 127.0.0.1.")
                return
            route = self.path.split("?", 1)[0].split("#", 1)[0]
            build = preview.current
            if route == STATUS:
                body = json.dumps(
                    {
                        "generation": build.generation,
                        "building": preview.building,
                        "valid": all(p.valid for p in build.packages),
                    }
                ).encode()
                self._send(body, "application/json")
                return
            if build.site is None:
                page = (
                    f"<!doctype html><html><head><meta charset='utf-8'><title>gridmod preview</title></head>"
                    f"<body>{panel(build)}</body></html>"
                )
                self._send(page.encode(), "text/html; charset=utf-8")
                return
            target = Path(self.translate_path(self.path))
            if target.is_dir() and route.endswith("/"):
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                body = target.read_bytes()
                match = _BODY.search(body)
                insert = panel(build).encode()
                body = body[: match.end()] + insert + body[match.end() :] if match else insert + body
                self._send(body, "text/html; charset=utf-8")
                return
            if head:
                super().do_HEAD()
            else:
                super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not getattr(self, "head", False):
                self.wfile.write(body)

    return Handler
