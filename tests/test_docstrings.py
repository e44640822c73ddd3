"""The library documents itself: a docstring on every module of ``geo``, and a numpy-style one
(with its ``Parameters``) on every public function and public method that takes arguments."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GEO_DIR = Path(__file__).resolve().parents[1] / "geo"
MODULES = sorted(GEO_DIR.rglob("*.py"))


def _arguments(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    spec = function.args
    names = [a.arg for a in spec.posonlyargs + spec.args + spec.kwonlyargs]
    names += [a.arg for a in (spec.vararg, spec.kwarg) if a is not None]
    return [name for name in names if name not in ("self", "cls")]


def _public_callables(tree: ast.Module):
    """Module-level public functions and the public methods of public classes (not nested
    helpers, which are documented by the function around them)."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, functions) and not node.name.startswith("_"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for member in node.body:
                if isinstance(member, functions) and not member.name.startswith("_"):
                    yield f"{node.name}.{member.name}", member


def undocumented(source: str) -> list[str]:
    """What in ``source`` lacks its docstring, or its ``Parameters`` section."""
    tree = ast.parse(source)
    problems = [] if ast.get_docstring(tree) else ["module: no docstring"]
    for name, function in _public_callables(tree):
        doc = ast.get_docstring(function)
        if not doc:
            problems.append(f"{name} (line {function.lineno}): no docstring")
        elif _arguments(function) and "Parameters\n---" not in doc:
            problems.append(f"{name} (line {function.lineno}): no Parameters section")
    return problems


def test_the_check_finds_what_is_missing():
    source = '''"""A module."""

def documented(x):
    """Double.

    Parameters
    ----------
    x : float
    """

def bare(x):
    return x

def no_parameters(x, *, y=1):
    """Says nothing of x."""

def takes_nothing():
    """Fine without Parameters."""

def _private(x):
    return x

class Public:
    def method(self, value):
        """Nothing of value."""

    def _hidden(self, value):
        return value

    @property
    def size(self):
        """Fine: no arguments."""
'''
    assert undocumented(source) == [
        "bare (line 11): no docstring",
        "no_parameters (line 14): no Parameters section",
        "Public.method (line 24): no Parameters section",
    ]
    assert undocumented("def f():\n    '''x'''\n") == ["module: no docstring"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(GEO_DIR).as_posix())
def test_geo_module_is_documented(path: Path):
    assert undocumented(path.read_text(encoding="utf-8")) == []
