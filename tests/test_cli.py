"""``python -m geo validate``: exit status, summary line and messages, run as a user would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.accounts import run_add_editor

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


# --- add-editor: an editor account on day one -------------------------------------------------


def add_editor(secrets: Path, name: str, first: str, second: str | None = None, *args: str):
    """``python -m geo add-editor`` with the two passwords typed on standard input."""
    typed = f"{first}\n{second if second is not None else first}\n"
    return run_add_editor(secrets, name, *args, typed=typed)


def test_add_editor_creates_the_secrets_file_private_with_a_hash_that_logs_in(tmp_path):
    import tomllib

    from geo.auth import verify_password

    secrets = tmp_path / "project" / ".streamlit" / "secrets.toml"
    result = add_editor(secrets, "zhangsan", "正确的密码 horse")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已添加编辑账号 zhangsan")
    assert secrets.stat().st_mode & 0o777 == 0o600
    entry = tomllib.loads(secrets.read_text(encoding="utf-8"))["editors"]["zhangsan"]
    assert entry["role"] == "admin"  # without --role: an administrator, as before roles
    stored = entry["password"]
    assert stored.startswith("scrypt$") and "正确的密码" not in secrets.read_text(encoding="utf-8")
    assert verify_password("正确的密码 horse", stored)
    assert not verify_password("wrong", stored)


def test_add_editor_keeps_what_the_file_holds(tmp_path):
    import tomllib

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "# single sign-on, set by the IT office\n"
        '[auth]\nredirect_uri = "https://example.gov.cn/oauth2callback"  # keep\n\n'
        '[editors]\nlisi = "scrypt$16384$8$1$c2FsdA==$aGFzaA=="\n',
        encoding="utf-8",
    )
    secrets.chmod(0o644)
    first = add_editor(secrets, "王五", "pw-1")
    assert first.returncode == 0, first.stderr
    again = add_editor(secrets, "王五", "pw-2", None, "--lang", "en")
    assert again.returncode == 0 and again.stdout.startswith("password of editor 王五 replaced")
    text = secrets.read_text(encoding="utf-8")
    assert "# single sign-on, set by the IT office" in text and "# keep" in text
    parsed = tomllib.loads(text)
    assert parsed["auth"]["redirect_uri"] == "https://example.gov.cn/oauth2callback"
    assert set(parsed["editors"]) == {"lisi", "王五"}
    assert parsed["editors"]["lisi"] == "scrypt$16384$8$1$c2FsdA==$aGFzaA=="
    assert secrets.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("name", "first", "second", "content", "said"),
    [
        ("zhangsan", "one", "two", None, "两次输入的密码不同或为空"),
        ("zhangsan", "", "", None, "两次输入的密码不同或为空"),
        ("zhang san", "pw", "pw", None, "用户名只能由"),
        ("zhangsan", "pw", "pw", "editors = 'not a table'\n", "editors 应为一个表"),
        ("zhangsan", "pw", "pw", "[editors\nbroken", "不是有效的 TOML 文件"),
    ],
)
def test_add_editor_refuses_bad_input_and_writes_nothing(
    tmp_path, name, first, second, content, said
):
    secrets = tmp_path / "secrets.toml"
    if content is not None:
        secrets.write_text(content, encoding="utf-8")
    result = add_editor(secrets, name, first, second)
    assert result.returncode == 1
    assert said in result.stderr
    if content is None:
        assert not secrets.exists()
    else:
        assert secrets.read_text(encoding="utf-8") == content


def test_secrets_and_env_files_are_git_ignored():
    checked = subprocess.run(
        ["git", "check-ignore", ".streamlit/secrets.toml", ".env"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert checked.stdout.split() == [".streamlit/secrets.toml", ".env"]


def test_help_follows_the_language_setting():
    chinese = run_geo("--help")
    assert chinese.returncode == 0 and "添加编辑账号（输入两次密码）" in chinese.stdout
    assert "check the data files" not in chinese.stdout
    english = run_geo("add-editor", "--help", "--lang", "en")
    assert english.returncode == 0 and "the login name" in english.stdout
    assert not CJK.search(english.stdout.split("options:")[-1])
