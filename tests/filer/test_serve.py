"""`gridmod serve` for real: a server on a free port, pages fetched over HTTP, a file changed, the page
changed with it, findings on the page, then stopped."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from gridmod.serve import Preview
from tests.filer.filerfixtures import REPO, SAMPLES


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def wait_for_text(preview: Preview, url: str, text: str, timeout: float = 90.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} did not appear on {url} within {timeout} s (build {preview.current.generation})")


@pytest.fixture
def preview(repo: Path):
    folder = repo / "filings" / "minimal"
    shutil.copytree(REPO / "tests" / "fixtures" / "valid_minimal", folder)
    events: list[str] = []
    server = Preview(repo, [folder], port=0, stamp=True, quiet_seconds=0.2, on_event=events.append)
    server.start()
    server.events = events  # type: ignore[attr-defined]
    server.folder = folder  # type: ignore[attr-defined]
    yield server
    server.stop()


def test_preview_rebuilds_on_change_and_shows_findings(preview: Preview) -> None:
    base = preview.url
    assert base.startswith("http://127.0.0.1:") and preview.port != 0
    home = fetch(base)
    assert 'id="gridmod-preview"' in home and "filings/minimal</code>: valid" in home
    page_url = base + "filings/gmr-2026/pge/"
    page = fetch(page_url)
    assert "Both activities made progress in the reporting period." in page

    intro = preview.folder / "narrative" / "summary.md"  # type: ignore[attr-defined]
    intro.write_text(intro.read_text() + "\nA sentence the filer added while the preview runs.\n", encoding="utf-8")
    page = wait_for_text(preview, page_url, "A sentence the filer added while the preview runs.")
    assert preview.current.stamped, "the changed file's size and hash were recorded"

    costs = preview.folder / "costs.csv"  # type: ignore[attr-defined]
    costs.write_text(costs.read_text().replace("4200000,4000000", "-4200000,4000000"), encoding="utf-8")
    home = wait_for_text(preview, base, "GMR-E020")
    assert "NOT valid: not shown in the site until its errors are fixed" in home
    assert "amount_usd is &#x27;-4200000&#x27;; costs are never negative." in home
    assert '<a href="/rules/gmr-e020/">GMR-E020</a>' in home

    preview.wait_for(preview.current.generation)
    status = json.loads(fetch(base + "__gridmod/status"))
    assert status == {"generation": preview.current.generation, "building": False, "valid": False}
    events = preview.events  # type: ignore[attr-defined]
    assert events[0].startswith("Build 1 in ") and events[0].endswith(": filings/minimal: valid (0 errors)")
    assert events[-1].endswith(": filings/minimal: NOT valid (1 error); stamped minimal/costs.csv")


def test_preview_answers_only_requests_to_the_loopback_host(preview: Preview) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.request("GET", "/", headers={"Host": "attacker.example"})
    assert connection.getresponse().status == 403
    connection.close()


def test_head_answers_like_get_without_a_body(preview: Preview) -> None:
    for path in ("/", "/filings/gmr-2026/pge/", "/assets/stylesheets/gridmod.css"):
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
        connection.request("GET", path)
        got = connection.getresponse()
        body = got.read()
        connection.close()
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
        connection.request("HEAD", path)
        head = connection.getresponse()
        assert (
            (head.status, head.getheader("Content-Type"))
            == (got.status, got.getheader("Content-Type"))
            == (200, head.getheader("Content-Type"))
        )
        assert int(head.getheader("Content-Length")) == len(body) and head.read() == b""
        connection.close()


def test_a_dropped_connection_prints_nothing(preview: Preview, capfd: pytest.CaptureFixture[str]) -> None:
    for _ in range(20):  # a browser leaving a page before the page has arrived
        with socket.create_connection(("127.0.0.1", preview.port), timeout=10) as client:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            client.sendall(b"GET /filings/gmr-2026/pge/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % preview.port)
    assert fetch(preview.url + "filings/gmr-2026/pge/")  # still serving
    time.sleep(0.5)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "BrokenPipe" not in captured.err and "Reset" not in captured.err, (
        captured.err
    )


def test_stop_frees_the_port(repo: Path) -> None:
    folder = repo / "filings" / "minimal"
    shutil.copytree(REPO / "tests" / "fixtures" / "valid_minimal", folder)
    server = Preview(repo, [folder], port=0)
    server.start()
    port = server.port
    server.stop()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_a_taken_port_is_a_usage_error(repo: Path) -> None:
    from tests.filer.filerfixtures import gridmod

    shutil.copytree(REPO / "tests" / "fixtures" / "valid_minimal", repo / "filings" / "minimal")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = gridmod("serve", "--port", str(port), "filings/minimal")
    assert result.exit_code == 2
    assert result.output.startswith(f"gridmod: cannot serve on 127.0.0.1:{port} (")
    assert result.output.endswith("); try another --port.\n")


def test_preview_shows_every_sample_filing_ica_included(repo: Path) -> None:
    """Every sample filing previews through its profile's engine: Appendix A filing pages and the ICA pages
    (a Parquet results table among them), each filing listed as valid, no filing left unrendered."""
    for sample in SAMPLES:
        shutil.copytree(sample, repo / "data" / sample.parent.name / sample.name)
    server = Preview(repo, port=0)
    server.start()
    try:
        build = server.current
        assert build.error is None, build.error
        assert sorted(p.path for p in build.packages) == sorted(f"data/{s.parent.name}/{s.name}" for s in SAMPLES)
        assert all(p.valid for p in build.packages)
        home = fetch(server.url)
        for sample in SAMPLES:
            assert f"data/{sample.parent.name}/{sample.name}</code>: valid" in home
        assert "received, not published" not in home and "cannot be rendered" not in home
        sce = fetch(server.url + "ica/sce/")
        assert 'id="gridmod-preview"' in sce and "ica-2026-h2" in sce and "Data-quality metrics" in sce
        feeders = fetch(server.url + "ica/feeders/")
        assert all(name in feeders for name in ("PG&amp;E", "SCE", "SDG&amp;E"))
        assert "Both activities" not in feeders  # the page is the ICA table, not an Appendix A report
        assert "Biennial Grid Modernization" in fetch(server.url + "filings/gmr-2026/sce/")
    finally:
        server.stop()
