"""The structure of the code, as a command anyone can run shows it (``lint-imports``), and one
home for each concept: the map call, the settings, the language choice."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
#: The dashboard's code: the library, its Streamlit side and the screens.
APP_CODE = sorted(
    [PROJECT_DIR / "app.py"]
    + [p for folder in ("geo", "ui", "app_pages") for p in (PROJECT_DIR / folder).rglob("*.py")]
)


def _relative(path: Path) -> str:
    return path.relative_to(PROJECT_DIR).as_posix()


def _named(tree: ast.AST, dotted: str) -> bool:
    """Whether ``dotted`` (``os.environ``, ``st.secrets``) is used anywhere in ``tree``."""
    owner, attr = dotted.split(".")
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and (node.value.id, node.attr) == (owner, attr)
        for node in ast.walk(tree)
    )


def _trees() -> dict[str, ast.AST]:
    return {_relative(p): ast.parse(p.read_text(encoding="utf-8")) for p in APP_CODE}


def test_import_contracts_hold():
    """Pages over ui over geo; geo free of Streamlit and of the tools; no cycles (the contracts
    are in pyproject.toml)."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "BROKEN" not in result.stdout and "8 kept, 0 broken" in result.stdout


def test_one_map_call():
    """Every map of every page goes through ui.widgets.show_map."""
    calls = {
        path: sum(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "st_folium"
            for node in ast.walk(tree)
        )
        for path, tree in _trees().items()
    }
    assert {path: n for path, n in calls.items() if n} == {"ui/widgets.py": 1}


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("os.environ", {"geo/config.py"}),
        ("os.getenv", set()),
        ("st.secrets", {"ui/settings.py"}),
    ],
)
def test_settings_are_read_in_one_place(name, home):
    assert {path for path, tree in _trees().items() if _named(tree, name)} == home


def test_the_language_is_chosen_in_one_place():
    """Only geo/text/ compares a language to a language code; the rest asks its labels."""
    pattern = re.compile(
        r"""\blang\s*[!=]=\s*["'](zh|en)["']"""
        r"""|["'](zh|en)["']\s*[!=]=\s*[\w.]*lang\b"""
        r"""|"(name|title|how)_en" if"""
    )
    code = [PROJECT_DIR / "app.py"] + [
        p
        for folder in ("geo", "ui", "app_pages", "bench", "scripts")
        for p in (PROJECT_DIR / folder).rglob("*.py")
    ]
    offenders = [
        f"{_relative(p)}:{text.count(chr(10), 0, found.start()) + 1}: {found.group()}"
        for p in sorted(code)
        if not _relative(p).startswith("geo/text/")
        for text in [p.read_text(encoding="utf-8")]
        for found in pattern.finditer(text)
    ]
    assert offenders == []


#: What marks a string as JavaScript or CSS rather than prose or SQL.
_CODE_MARKS = re.compile(r"function\s*\(|=>|<script|<style|\{[^{}]*;\s*\}|;\s*\n\s*\}")


def _long_code_strings(tree: ast.AST) -> list[tuple[int, int]]:
    """(line, lines) of every string constant (docstrings aside) longer than 10 lines that reads
    as JS or CSS."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            text = node.value
            if text.count("\n") >= 10 and _CODE_MARKS.search(text):
                found.append((node.lineno, text.count("\n") + 1))
    return found


def test_javascript_and_css_live_in_static_files():
    """No JavaScript or CSS string longer than 10 lines in Python: they are files in static/."""
    code = APP_CODE + sorted(
        p for folder in ("bench", "scripts", "tests") for p in (PROJECT_DIR / folder).rglob("*.py")
    )
    offenders = {
        _relative(path): found
        for path in code
        if (found := _long_code_strings(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
