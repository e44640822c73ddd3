"""``python -m geo validate``: exit status, summary line and messages, run as a user would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]


CJK = re.compile(r"[\u4e00-\u9fff]")


def run_geo(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SHIZHONG_LANG"}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=PROJECT_DIR,
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_validate_shipped_data_in_chinese_by_default():
    result = run_geo("validate")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    summary = lines[0]
    assert summary.startswith("数据有效：点位 20 个（")
    for part in ("村 8", "社区 6", "指标 16 项", "联建 2 个", "项目 12 个", "街道 17 个"):
        assert part in summary
    assert "村/社区 216 个" in summary and "提示" not in summary
    assert result.stderr == ""


@pytest.mark.parametrize("where", ["before", "after", "environment"])
def test_one_language_setting_for_every_message(where):
    args, env = ("validate",), {}
    if where == "before":
        args = ("--lang", "en", "validate")
    elif where == "after":
        args = ("validate", "--lang", "en")
    else:
        env = {"SHIZHONG_LANG": "en"}
    result = run_geo(*args, env=env)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip()
    assert summary.startswith("ok: 20 sites (")
    for part in ("Village 8", "Community 6", "16 metrics", "2 alliances", "216 units"):
        assert part in summary
    assert not CJK.search(summary)


def test_validate_broken_copy_fails_naming_file_row_and_column(data_copy, edit_cell):
    row = edit_cell(data_copy / "sites.csv", "v-370103021213", "kind", "castle")
    result = run_geo("validate", str(data_copy))
    assert result.returncode == 1
    assert f"sites.csv 第{row}行「kind」“castle”：不是已知类型" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"1 处错误（{data_copy}）"
    assert "数据有效" not in result.stdout


def test_validate_counts_every_error(data_copy, edit_cell):
    edit_cell(data_copy / "sites.csv", "v-370103021213", "kind", "castle")
    metric_row = edit_cell(data_copy / "metrics.csv", "m-brands", "unit", "")
    result = run_geo("validate", str(data_copy), "--lang", "en")
    assert result.returncode == 1
    assert f"metrics.csv:{metric_row} [unit] ''" in result.stderr
    assert "invalid: 2 error(s)" in result.stderr


def test_validate_in_english(data_copy, edit_cell):
    row = edit_cell(data_copy / "sites.csv", "v-370103021213", "kind", "castle")
    result = run_geo("validate", str(data_copy), "--lang", "en")
    assert result.returncode == 1
    assert f"sites.csv:{row} [kind] 'castle': not a known kind" in result.stderr
    assert "(error)" in result.stderr and "1 error(s)" in result.stderr
    assert not CJK.search(result.stderr.replace(str(data_copy), ""))


def test_warnings_do_not_fail_validation(data_copy, edit_cell):
    # 兴隆街道's estimated seat, given to a 党家 village: inside the district, outside 党家's area
    edit_cell(data_copy / "sites.csv", "v-370103021213", "lon", "117.039006")
    edit_cell(data_copy / "sites.csv", "v-370103021213", "lat", "36.598667")
    result = run_geo("validate", str(data_copy), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "坐标不在所属街道范围内（提示）" in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("；1 条提示")


@pytest.mark.parametrize("args", [(), ("validate", "--lang", "fr"), ("frobnicate",)])
def test_bad_usage_exits_2(args):
    result = run_geo(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
