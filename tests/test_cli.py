"""``python -m geo validate``: exit status, summary line and messages, run as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]


def run_geo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_validate_shipped_data():
    result = run_geo("validate")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    summary = lines[0]
    assert summary.startswith("ok: 20 sites (")
    for part in (
        "village 8",
        "community 6",
        "16 metrics",
        "2 alliances",
        "12 programs",
        "17 subdistricts",
        "216 units",
    ):
        assert part in summary
    assert "warning" not in summary
    assert result.stderr == ""


def test_validate_broken_copy_fails_naming_file_row_and_column(data_copy, edit_cell):
    row = edit_cell(data_copy / "sites.csv", "v-370103021213", "kind", "castle")
    result = run_geo("validate", str(data_copy))
    assert result.returncode == 1
    assert f"sites.csv:{row} [kind] 'castle': not a known kind" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"invalid: 1 error(s) in {data_copy}"
    assert "ok:" not in result.stdout


def test_validate_counts_every_error(data_copy, edit_cell):
    edit_cell(data_copy / "sites.csv", "v-370103021213", "kind", "castle")
    metric_row = edit_cell(data_copy / "metrics.csv", "m-brands", "unit", "")
    result = run_geo("validate", str(data_copy))
    assert result.returncode == 1
    assert f"metrics.csv:{metric_row} [unit] ''" in result.stderr
    assert "invalid: 2 error(s)" in result.stderr


def test_validate_in_chinese(data_copy, edit_cell):
    row = edit_cell(data_copy / "sites.csv", "v-370103021213", "kind", "castle")
    result = run_geo("validate", str(data_copy), "--lang", "zh")
    assert result.returncode == 1
    assert f"sites.csv:{row} [kind] 'castle': 不是已知类型" in result.stderr
    assert "(错误)" in result.stderr and "处错误" in result.stderr
    assert "not a known kind" not in result.stderr


def test_warnings_do_not_fail_validation(data_copy, edit_cell):
    # 兴隆街道's estimated seat, given to a 党家 village: inside the district, outside 党家's area
    edit_cell(data_copy / "sites.csv", "v-370103021213", "lon", "117.039006")
    edit_cell(data_copy / "sites.csv", "v-370103021213", "lat", "36.598667")
    result = run_geo("validate", str(data_copy), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "坐标不在所属街道范围内 (警告)" in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("; 1 warning(s)")


@pytest.mark.parametrize("args", [(), ("validate", "--lang", "fr"), ("frobnicate",)])
def test_bad_usage_exits_2(args):
    result = run_geo(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
