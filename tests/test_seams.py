"""Typed seams: the cohort, a student, an entry, a view, a context and a result are named types.

mypy (run by `make test`, configured in pyproject.toml) checks that the types fit; this test
checks that they are written at all. A public function's parameter or a dataclass field with
one of these names must be annotated, and not with `Any` or `object`, which would let anything
through the seam unchecked. Inside a module, `Any` stays fine for YAML data.

The click commands in cli/ are left out: there `student` is the value of `--student`, a folder
name, as click hands it over. So is pydantic's own hook `model_post_init(context)`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "trialoog"
SEAMS = {"cohort", "student", "entry", "view", "context", "result"}
UNTYPED = {"Any", "object", "typing.Any"}
MODULES = sorted(path for path in PACKAGE.rglob("*.py") if path.parent.name != "cli")
HOOKS = {("model_post_init", "context")}  # signatures that belong to a library


def _public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _loose(annotation: ast.expr | None) -> str | None:
    """Why an annotation lets anything through, or None when it names a type."""
    if annotation is None:
        return "zonder type"
    text = annotation.value if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) else ast.unparse(annotation)
    return f"getypeerd als {text}" if text.strip() in UNTYPED else None


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (isinstance(target, ast.Name) and target.id == "dataclass") or (isinstance(target, ast.Attribute) and target.attr == "dataclass"):
            return True
    return False


def loose_seams(tree: ast.Module) -> list[str]:
    found = []

    def visit(node: ast.AST, public: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                inner = public and _public(child.name)
                if _is_dataclass(child):
                    for field in child.body:
                        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name) and field.target.id in SEAMS:
                            why = _loose(field.annotation)
                            if why:
                                found.append(f"{child.name}.{field.target.id} (regel {field.lineno}) {why}")
                visit(child, inner)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if public and _public(child.name):
                    arguments = child.args
                    for argument in arguments.posonlyargs + arguments.args + arguments.kwonlyargs:
                        seam = argument.arg in SEAMS and (child.name, argument.arg) not in HOOKS
                        why = _loose(argument.annotation) if seam else None
                        if why:
                            found.append(f"{child.name}({argument.arg}) (regel {child.lineno}) {why}")
                # Nested functions are the module's own business.
            else:
                visit(child, public)

    visit(tree, True)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_seams_are_typed(path):
    loose = loose_seams(ast.parse(path.read_text(encoding="utf-8")))
    assert not loose, f"{path.relative_to(PACKAGE)}: geef deze een type uit het model: {loose}"


def test_the_check_finds_a_loose_seam():
    source = (
        "from dataclasses import dataclass\n"
        "from typing import Any\n"
        "def render(result, cohort: Any, student: 'object', entry: Entry) -> None: ...\n"
        "def _helper(cohort): ...\n"
        "@dataclass\n"
        "class Input:\n"
        "    context: Any\n"
        "    view: StudentView\n"
    )
    assert loose_seams(ast.parse(source)) == [
        "render(result) (regel 3) zonder type",
        "render(cohort) (regel 3) getypeerd als Any",
        "render(student) (regel 3) getypeerd als object",
        "Input.context (regel 7) getypeerd als Any",
    ]
