"""The house shows the pipeline: imports point only down the stages of DESIGN.md, and never in a circle.

From the bottom up: the flat modules (errors, diagnostics, rules, dutch), then portfolio, checks,
output, site, workflow and cli. A module may import its own stage or a lower one; a type needed
upward is imported under TYPE_CHECKING, which this test leaves alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "trialoog"
STAGES = ("portfolio", "checks", "output", "site", "workflow", "cli")  # bottom to top; flat modules below all
FLAT = {"__init__", "__main__", "errors", "diagnostics", "rules", "dutch"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("trialoog", *parts)).removesuffix(".__init__")


def stage_of(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) + 1 if len(parts) > 1 and parts[1] in STAGES else 0


def runtime_imports(path: Path) -> list[tuple[str, int]]:
    """trialoog modules imported at run time (not under `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If) and _is_type_checking(block.test)
               for child in block.body for node in ast.walk(child)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "trialoog":
            if node.module == "trialoog":
                found += [(f"trialoog.{alias.name}", node.lineno) for alias in node.names if alias.name != "__version__"]
            else:
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "trialoog"]
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_only_a_few_modules_stay_flat():
    flat = {path.stem for path in PACKAGE.glob("*.py")}
    assert flat <= FLAT, f"move these into a stage: {sorted(flat - FLAT)}"
    assert {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()} == set(STAGES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_point_down_the_pipeline(path):
    module = module_name(path)
    if module == "trialoog.__main__":
        return  # `python -m trialoog` is the top of the house
    upward = [f"{target} (regel {line})" for target, line in runtime_imports(path) if stage_of(target) > stage_of(module)]
    assert not upward, f"{module} importeert een latere fase: {upward}"


def test_no_import_circle():
    names = {module_name(path): path for path in MODULES}
    graph = {name: {target for target, _ in runtime_imports(path) if target in names and target != name} for name, path in names.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError("importcirkel: " + " → ".join(trail[trail.index(name):] + [name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, trail + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
