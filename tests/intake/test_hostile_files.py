"""No ledger can harm the server or the data: files read in a child process with limits
(geo.isolation), cheap checks first (geo.intake.sheetfile.check_file), each refusal a clear message
with nothing written. Every file is built by the test (with bench.hostile's builders, which
stream a large sheet into its zip so the test itself never holds it); the same files at full
size are measured by ``python -m bench.hostile``."""

from __future__ import annotations

import os
import resource

import pytest

from bench.hostile import cell, corner_rows, hostile_xlsx, many_rows
from geo import isolation
from geo.config import ParseLimits, parse_limits
from geo.intake.ledger import Lookups, import_file
from geo.intake.read import ReadError, read_tables


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups.load()


def _state(store) -> dict:
    tables = ("sites", "metrics", "alliances", "units", "mappings")
    return {e: len(store.read(e)) for e in tables} | {"version": store.data_version()}


# --- the child process -------------------------------------------------------------------------


def test_the_child_answers_through_json():
    limits = ParseLimits(memory_mb=512)
    assert isolation.run("tests.intake.isolation_targets:echo", ["街道"], limits) == {
        "text": "街道",
        "memory_mb": 512,
    }


@pytest.mark.parametrize(
    ("target", "key"),
    [
        ("refuse", "file_too_large"),  # a refusal with its key and detail
        ("allocate", "file_too_large"),  # over its memory
        ("abort", "file_crashed"),  # a native abort
        ("fail", "file_crashed"),  # a bug: a crash, never a traceback for the user
        ("spin", "file_timeout"),  # over its time
    ],
)
def test_a_child_that_misbehaves_is_an_error_and_the_caller_lives_on(target, key):
    limits = ParseLimits(memory_mb=256, seconds=3)
    with pytest.raises(isolation.IsolatedError) as caught:
        isolation.run(f"tests.intake.isolation_targets:{target}", [], limits)
    assert caught.value.key == key
    assert caught.value.values.get("died", False) == (target in ("allocate", "abort", "spin"))
    if target == "refuse":
        assert caught.value.detail == "工作表声明 1,048,576 行"


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("SHIZHONG_PARSE_MEMORY_MB", "2048", "memory_mb", 2048),
        ("SHIZHONG_MAX_ROWS", "200_000", "max_rows", 200_000),
        ("SHIZHONG_MAX_ROWS", "many", "max_rows", 100_000),  # not a number: the default
        ("SHIZHONG_PARSE_SECONDS", "0", "seconds", 120),  # not positive: the default
    ],
)
def test_the_limits_are_settings(variable, value, field, expected):
    assert getattr(parse_limits({variable: value}), field) == expected


# --- hostile ledgers ---------------------------------------------------------------------------


def test_the_1_6_kb_file_that_killed_the_server_is_refused(tmp_path, store, lookups):
    path = hostile_xlsx(tmp_path / "台账.xlsx", corner_rows())
    assert path.stat().st_size < 2000
    before = _state(store)
    result = import_file(path, store, "office", lookups=lookups)
    assert [i.key for i in result.errors] == ["file_too_large"]
    assert result.errors[0].describe() == "台账.xlsx：文件过大或格式异常，未写入任何数据（错误）"
    assert _state(store) == before


def test_a_declared_whole_sheet_is_refused_before_it_is_read(tmp_path):
    path = hostile_xlsx(tmp_path / "整表.xlsx", corner_rows(), dimension="A1:XFD1048576")
    with pytest.raises(ReadError) as caught:
        read_tables(path)
    assert caught.value.key == "file_too_large"
    assert caught.value.detail == "工作表声明 1,048,576 行，超过上限 100,000 行"


def test_declared_cells_over_the_cap_are_refused(tmp_path):
    path = hostile_xlsx(tmp_path / "宽表.xlsx", many_rows(3), dimension="A1:Z5000")
    with pytest.raises(ReadError) as caught:
        read_tables(path, ParseLimits(max_cells=100_000))
    assert caught.value.detail == "工作表声明 5,000 行 × 26 列，单元格超过上限 100,000 个"


def test_rows_over_the_cap_are_refused_when_no_dimension_says_so(tmp_path, store, lookups):
    path = hostile_xlsx(tmp_path / "长表.xlsx", many_rows(2_000))
    limits = ParseLimits(max_rows=1_000)
    with pytest.raises(ReadError) as caught:
        read_tables(path, limits)
    assert caught.value.detail == "「Sheet1」有 2,001 行，超过上限 1,000 行"
    assert len(read_tables(path)[0].rows) == 2_001, "under the default cap it reads"


def test_a_csv_over_the_row_cap_is_refused(tmp_path):
    path = tmp_path / "长表.csv"
    path.write_text("名称,项目\n" + "站,新就业群体\n" * 3_000, encoding="utf-8")
    with pytest.raises(ReadError, match="超过上限 1,000 行"):
        read_tables(path, ParseLimits(max_rows=1_000))


def test_a_csv_larger_than_the_unpacked_cap_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "大表.csv"
    path.write_text("名称,项目\n" + "站,新就业群体\n" * 200_000, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_tables(path, ParseLimits(max_unpacked_mb=2))
    assert caught.value.detail == "文件 4 MB，超过上限 2 MB"


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path):
    """A sheet that deflates a thousand to one: its ratio is read from the zip's directory,
    nothing is unpacked."""
    path = hostile_xlsx(tmp_path / "炸弹.xlsx", many_rows(1), padding=64 << 20)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ReadError) as caught:
        read_tables(path)
    assert caught.value.key == "file_too_large"
    assert caught.value.detail.startswith("「xl/worksheets/sheet1.xml」压缩比")
    assert caught.value.detail.endswith("倍，超过上限 200 倍")


def test_an_unpacked_size_over_the_cap_is_refused(tmp_path):
    rows = (f'<row r="{r}">{cell(r, "A", os.urandom(8).hex())}</row>' for r in range(1, 60_000))
    path = hostile_xlsx(tmp_path / "大表.xlsx", rows)
    with pytest.raises(ReadError) as caught:
        read_tables(path, ParseLimits(max_unpacked_mb=2))
    assert caught.value.detail.endswith("MB，超过上限 2 MB")


def test_a_hostile_file_on_the_command_line_is_a_message_and_exit_1(tmp_path, run_geo):
    path = hostile_xlsx(tmp_path / "台账.xlsx", corner_rows())
    before = run_geo("export", tmp_path / "before.csv")
    done = run_geo("import", path)
    assert done.returncode == 1
    assert "文件过大或格式异常，未写入任何数据" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout and "rust" not in done.stderr.lower()
    assert before.returncode == 0 and run_geo("export", tmp_path / "after.csv").returncode == 0
    assert (tmp_path / "before.csv").read_bytes() == (tmp_path / "after.csv").read_bytes()


def test_the_parent_never_holds_the_hostile_file(tmp_path):
    """The reader's memory is the child's: this process grows by far less than the child's
    limit while the 1.6 KB file makes the child ask for 512 GiB."""
    path = hostile_xlsx(tmp_path / "台账.xlsx", corner_rows())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ReadError):
        read_tables(path)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50
