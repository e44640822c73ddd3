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
    + [p for folder in ("geo", "ui", "app_pages") for p in (PROJECT_DIR / folder).glob("*.py")]
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
    pattern = re.compile(r'if lang == "en" else|"(name|title|how)_en" if')
    offenders = [
        _relative(p)
        for p in APP_CODE
        if _relative(p) not in ("geo/text/labels.py", "geo/data/validate.py")
        and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
