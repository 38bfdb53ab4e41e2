from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check what holds, not how fast: a deadline per example fails at random on a busy machine
# (a first example that pays for imports or a cold cache), so there is none.
settings.register_profile("gridmod", deadline=None)
settings.load_profile("gridmod")

# The day every test judges statuses on (gridmod.clock): the samples' newest filing date, so that what a
# test expects of a deadline does not change with the day the suite runs. Tests of the clock set their own.
TEST_DAY = date(2026, 10, 1)
os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(TEST_DAY, datetime.min.time(), tzinfo=UTC).timestamp()))

# The tests run the commands of the environment they run in (`gridmod`, `lint-imports`, `pre-commit`), also when
# it is not activated: `.venv/bin/python -m pytest`, as the README runs it, finds `.venv/bin/gridmod` first.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = sorted((ROOT / "data").glob("*/gmr-*"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run from the repository root, as filers and CI run them."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GRIDMOD_ROOT", raising=False)
    monkeypatch.delenv("GRIDMOD_SITE_URL", raising=False)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def attest(folder: Path, name: str = "Jane Doe", title: str = "Vice President, Grid Modernization") -> None:
    """An officer verifies the filing in `folder`, in the statement its profile prescribes (what `gridmod new`
    writes), so that a filing a test writes under data/ can be accepted."""
    import json

    import yaml

    from gridmod.record.attestation import prescribed
    from gridmod.utilities import utility

    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    head = descriptor["gridmod"]
    profile = yaml.safe_load(
        (ROOT / "validation" / head["profile"] / head["profile_version"] / "profile.yaml").read_text(encoding="utf-8")
    )
    statement = prescribed(profile["attestation"]["statement"], utility(head["utility"]).legal)
    if head.get("is_sample", False) is not False:
        name, title = "SAMPLE: no officer verified this synthetic filing", "SAMPLE (synthetic data)"
    head["attestation"] = {"name": name, "title": title, "date": head["filing_date"], "statement": statement}
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def repo_copy(target: Path) -> Path:
    """A repository of the shipped samples, rule spec, templates and MkDocs config, outputs not yet built."""
    for name in ("data", "validation", "templates", "record", "releases"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("reports", "site"):
        (target / name).mkdir()
        shutil.copy2(ROOT / name / "README.md", target / name / "README.md")
    return target


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`gridmod build` of the shipped samples, once for the whole session, in a copy of the repository.

    Tests that read the outputs share it and must not change it; a test that changes a repository takes
    `built_copy(...)` of it, which costs a copy instead of a build.
    """
    from gridmod.build import build

    root = repo_copy(tmp_path_factory.mktemp("samples"))
    result = build(root)
    assert result.published, [f.message for p in result.report.packages for f in p.findings if f.is_open]
    return root


def built_copy(sample_build: Path, target: Path) -> Path:
    """A repository with the samples built, to change: a copy of the session's build."""
    shutil.copytree(sample_build, target, ignore=shutil.ignore_patterns("build.lock"))
    return target


# Modules whose tests build a site, render many reports, probe Typst character by character or start Spark.
SLOW_MODULES = {
    "test_spark.py",
    "test_pdf_characters.py",
    "test_narrative_properties.py",
    "test_end_to_end.py",
    "test_review_job.py",
    "test_publish.py",
    "test_faults.py",
    "test_filer_path.py",
    "test_confidential.py",
    "test_screenshots.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests `browser`, and `slow` every test of a slow module or one that needs the session's
    sample build, so that `-m "not browser and not slow"` is a loop of a few minutes."""
    for item in items:
        path = Path(str(item.path))
        if "browser" in path.parts:
            item.add_marker(pytest.mark.browser)
        if path.name in SLOW_MODULES or "sample_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
