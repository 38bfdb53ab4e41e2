"""Guards that keep the house true to itself: every rule code anyone names exists, every path the workflows
and docs name exists, the README's commands are the CLI's, and every package the code imports is declared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from datetime import date
from importlib.metadata import packages_distributions
from pathlib import Path

import click
from packaging.requirements import Requirement

from gridmod.cli import main
from gridmod.spec import available_profiles, load_profile

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"\b(?:GMR|ICA)-[EWX]\d{3}\b")
SUFFIXES = {".py", ".j2", ".yaml", ".yml", ".json", ".md", ".typ", ".lua", ".js", ".css"}
# Paths under data/ in the docs are examples of a filing to make; reports/ and site/ are built.
REPO_PATH = re.compile(r"(?<![\w./<-])((?:\.github|\.ci|src|tests|benchmarks|validation|templates|docs)/[\w./-]*\w)")


def _texts(*folders: str, files: tuple[str, ...] = ()) -> list[Path]:
    found = [p for folder in folders for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    return found + [ROOT / name for name in files]


def test_every_rule_code_named_anywhere_is_in_a_catalogue() -> None:
    codes = {code for name, version in available_profiles(ROOT) for code in load_profile(ROOT, name, version).rules}
    named = {}
    for path in _texts(
        "src",
        "templates",
        "validation",
        "docs",
        ".github",
        files=("README.md", "CONTRIBUTING.md", "CHANGELOG.md", "mkdocs.yml"),
    ):
        for code in CODE.findall(path.read_text(encoding="utf-8", errors="replace")):
            named.setdefault(code, set()).add(path.relative_to(ROOT).as_posix())
    unknown = {code: sorted(where) for code, where in named.items() if code not in codes}
    assert not unknown, f"rule codes that no catalogue has: {unknown}"
    assert len(named) > 50  # the scan reads the files it should


def test_every_path_the_workflows_and_docs_name_exists() -> None:
    sources = [
        *(ROOT / ".github").rglob("*.yml"),
        ROOT / ".ci" / "run",
        ROOT / "mkdocs.yml",
        *(
            ROOT / name
            for name in (
                "README.md",
                "CONTRIBUTING.md",
                "CHANGELOG.md",
                ".pre-commit-config.yaml",
                ".pre-commit-developer.yaml",
                ".pre-commit-hooks.yaml",
            )
        ),
    ]
    missing = []
    for source in sources:
        for path in REPO_PATH.findall(source.read_text(encoding="utf-8")):
            if not (ROOT / path.rstrip(".")).exists():
                missing.append(f"{source.relative_to(ROOT)}: {path}")
    assert not missing, missing


def _commands(group: click.Group, prefix: str = "gridmod") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= _commands(command, f"{prefix} {name}")
        else:
            found[f"{prefix} {name}"] = command
    return found


def test_the_readme_lists_every_command_with_options_the_command_has() -> None:
    rows = re.findall(
        r"^\| `(gridmod [a-z ]+?)(?: [A-Z\[\-][^`]*)?` \| (.*) \|$",
        (ROOT / "README.md").read_text(encoding="utf-8"),
        flags=re.M,
    )
    commands = _commands(main)
    assert sorted(name for name, _ in rows) == sorted(commands)
    for name, text in rows:
        options = {opt for param in commands[name].params for opt in getattr(param, "opts", [])}
        named = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", text))
        assert named <= options, f"{name}: the README names {sorted(named - options)}, which it does not have"


def _imported_packages() -> set[str]:
    names = set()
    for path in (ROOT / "src" / "gridmod").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "gridmod"}


def test_every_package_the_code_imports_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # A feature's extra (gridmod[spark]) declares what only that feature imports; the test extra is for tests.
    features = [r for extra, required in project["optional-dependencies"].items() if extra != "test" for r in required]
    declared = {Requirement(r).name.lower().replace("_", "-") for r in [*project["dependencies"], *features]}
    distributions = packages_distributions()
    undeclared = {}
    for module in sorted(_imported_packages()):
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not owners & declared:
            undeclared[module] = sorted(owners)
    assert not undeclared, f"imported but not in pyproject.toml's dependencies: {undeclared}"
    assert {"polars", "jinja2", "filelock"} <= _imported_packages()


def _function_bodies() -> dict[str, set[str]]:
    """Each top-level function of the validation stage ("module:function"), with the string constants in it."""
    bodies: dict[str, set[str]] = {}
    for folder in ("validate", "ica"):
        for path in (ROOT / "src" / "gridmod" / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / "src").with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef):
                    bodies[f"{module}:{node.name}"] = {
                        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    }
    return bodies


def _profiles():
    return [load_profile(ROOT, name, version) for name, version in available_profiles(ROOT)]


def test_the_catalogue_says_where_the_logic_of_every_rule_lives() -> None:
    bodies = _function_bodies()
    for profile in _profiles():
        prefix = f"{profile.meta['code_prefix']}-"
        for code, rule in profile.rules.items():
            assert rule.checks or rule.expect or rule.schema or rule.functions, (
                f"{code} says nowhere where its logic is"
            )
            # A function may take the code from the profile (explanation_rules names E080, E081, W082).
            from_profile = any(code in str(profile.meta.get(p.split(".")[0])) for p in rule.parameters)
            for function in rule.functions:
                assert function in bodies, f"{code} names {function}, which the validation stage does not have"
                # The function makes findings of the rule: it names the code, or, for a structure rule shared
                # by every profile, its number, or the profile names it in a parameter the rule declares.
                assert from_profile or {code, code.removeprefix(prefix)} & bodies[function], (
                    f"{function} never names {code}"
                )
            for parameter in rule.parameters:
                assert parameter.split(".")[0] in profile.meta, f"{code}: profile.yaml has no {parameter}"


def test_every_rule_a_function_finds_is_declared_with_that_function() -> None:
    declared: dict[str, set[str]] = {}
    for profile in _profiles():
        prefix = f"{profile.meta['code_prefix']}-"
        for code, rule in profile.rules.items():
            for function in rule.functions:
                declared.setdefault(function, set()).update({code, code.removeprefix(prefix)})
    undeclared = {}
    for function, constants in _function_bodies().items():
        named = {c for c in constants if CODE.fullmatch(c) or re.fullmatch(r"[EW]0\d\d", c)}
        if named - declared.get(function, set()):
            undeclared[function] = sorted(named - declared.get(function, set()))
    assert not undeclared, f"rules whose logic is in a function their catalogue entry does not name: {undeclared}"


def test_every_wording_the_code_asks_for_is_in_the_spec() -> None:
    """Findings name the wording of their {detail} (`variant=`); each must be one of a rule's `variants`."""
    wordings = {name for profile in _profiles() for rule in profile.rules.values() for name in rule.variants}
    asked = set()
    for path in (ROOT / "src" / "gridmod").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "variant" and isinstance(node.value, ast.Constant):
                asked.add(node.value.value)
    # The wordings chosen by a value at run time: a filing field's type, a schema constraint, a header problem.
    asked |= {f"wrong_{kind}" for kind in ("date", "boolean", "string")}
    asked |= {
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "other",
        "missing_column",
        "extra_column",
        "wrong_column",
        "duplicate_column",
        "blank_column",
        "no_header",
        "blank_row",
        "extra_cells",
        "thousands",
        "missing_cell",
    }
    assert len(asked) > 20 and asked <= wordings, sorted(asked - wordings)


def test_every_declared_expectation_names_a_real_one_and_binds_its_values() -> None:
    import great_expectations.expectations as gxe

    from gridmod.spec import FORMATS
    from gridmod.validate.expect import _scalar
    from gridmod.validate.sql import context_values

    seen = 0
    for profile in _profiles():
        values = context_values(date(2026, 10, 1), date(2024, 7, 1), date(2026, 6, 30), profile.thresholds)
        for code, rule in profile.rules.items():
            if not rule.expect:
                continue
            seen += 1
            spec = rule.expect
            assert hasattr(gxe, spec["expectation"]), f"{code}: great-expectations has no {spec['expectation']}"
            assert any(f["name"] == spec["field"] for f in profile.schemas[spec["table"]]["fields"]), code
            for value in spec.get("arguments", {}).values():
                _scalar(value, values, code)  # binds, or raises SetupError naming the rule
            assert all(p.get("format", "usd") in FORMATS for p in spec.get("params", {}).values()), code
    assert seen >= 4


def test_ci_runs_the_readme_commands_as_written() -> None:
    """The README's quick start is exactly two commands, and .ci/run runs the second, the test command, as it is
    written there (nothing weaker), then the checks that fail a change on style, types or layers."""
    blocks = re.findall(
        r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8").split("## Commands")[0], re.S
    )
    assert len(blocks) == 2 and all("\n" not in block for block in blocks), blocks
    build, tests = blocks
    assert build.endswith("gridmod build") and tests.endswith("-m pytest")
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in run
    for check in (
        "ruff check src tests benchmarks",
        "ruff format --check src tests benchmarks",
        "mypy src",
        "lint-imports --no-cache",
        "zizmor --offline .github",
    ):
        assert check in run, check
