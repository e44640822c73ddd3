"""Accounts and roles (geo.auth, geo.data.access): local accounts of secrets.toml, single
sign-on by account list or by a claim, and ``python -m geo add-editor`` with a role."""

from __future__ import annotations

import tomllib

import pytest

from geo.auth import local_account, sso_account, verify_password
from geo.data import io
from geo.data.access import Account
from geo.data.gazetteer import code_names
from tests.accounts import run_add_editor

NAMES = code_names(io.load_subdistricts(), "name")
DANGJIA, DOUGOU = "370103021", "370103022"


def test_a_local_account_before_roles_is_an_administrator():
    account, stored = local_account("alice", {"alice": "scrypt$x"}, NAMES)
    assert account == Account("alice", "admin") and stored == "scrypt$x"
    editors = {"wang": {"password": "scrypt$y", "role": "street", "streets": ["党家街道", DOUGOU]}}
    account, _ = local_account("wang", editors, NAMES)
    assert account.role == "street" and account.streets == {DANGJIA, DOUGOU}
    assert account.may_write(DANGJIA) and not account.may_write("370103002")
    assert not account.may_write("district")
    assert local_account("nobody", editors, NAMES) is None
    with pytest.raises(ValueError, match="unknown subdistrict"):
        local_account(
            "x", {"x": {"password": "p", "role": "street", "streets": ["火星街道"]}}, NAMES
        )
    with pytest.raises(ValueError, match="role must be one of"):
        local_account("x", {"x": {"password": "p", "role": "boss"}}, NAMES)
    with pytest.raises(ValueError, match="keeps no subdistrict"):
        local_account("x", {"x": {"password": "p", "role": "street"}}, NAMES)


def test_single_sign_on_roles_come_from_the_list_or_from_a_claim():
    editing = {
        "accounts": {"li@jn.gov.cn": {"role": "street", "streets": ["陡沟街道"]}},
        "roles_claim": "groups",
        "claim_roles": {
            "sz-review": "reviewer",
            "sz-dangjia": {"role": "street", "streets": ["党家"]},
        },
    }
    by_list = sso_account("li@jn.gov.cn", {"groups": ["sz-review"]}, editing, NAMES)
    assert by_list == Account("li@jn.gov.cn", "street", {DOUGOU})  # the list comes first
    by_claim = sso_account("wu@jn.gov.cn", {"groups": ["other", "sz-dangjia"]}, editing, NAMES)
    assert by_claim == Account("wu@jn.gov.cn", "street", {DANGJIA})
    assert sso_account("he@jn.gov.cn", {"groups": "sz-review"}, editing, NAMES).role == "reviewer"
    assert sso_account("no@jn.gov.cn", {"groups": ["other"]}, editing, NAMES) is None
    assert sso_account("a@x", {}, {"allowed": ["a@x"]}, NAMES) == Account("a@x", "admin")
    assert sso_account("b@x", {}, {"allowed": ["a@x"]}, NAMES) is None
    assert sso_account("c@x", {}, {}, NAMES) == Account("c@x", "admin")  # nothing configured


def add_editor(secrets, *args: str, password: str = "口令 horse-1\n"):
    return run_add_editor(secrets, *args, typed=password)


def test_add_editor_with_a_role_and_subdistrict_from_standard_input(tmp_path):
    secrets = tmp_path / "secrets.toml"
    done = add_editor(
        secrets, "wang", "--role", "street", "--street", "党家街道", "--password-stdin"
    )
    assert done.returncode == 0, done.stderr
    entry = tomllib.loads(secrets.read_text(encoding="utf-8"))["editors"]["wang"]
    assert (entry["role"], entry["streets"]) == ("street", [DANGJIA])
    assert verify_password("口令 horse-1", entry["password"])
    reviewer = add_editor(secrets, "li", "--role", "reviewer", "--password-stdin")
    assert reviewer.returncode == 0, reviewer.stderr
    parsed = tomllib.loads(secrets.read_text(encoding="utf-8"))["editors"]
    assert parsed["li"]["role"] == "reviewer" and "streets" not in parsed["li"]
    assert set(parsed) == {"wang", "li"}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--role", "street", "--street", "火星街道"), "unknown subdistrict '火星街道'"),
        (("--role", "street"), "街道编辑须至少负责一个街道"),
        (("--role", "street", "--street", "党家街道"), "两次输入的密码不同或为空"),
    ],
)
def test_add_editor_refuses_a_bad_role_set_up_and_writes_nothing(tmp_path, args, said):
    secrets = tmp_path / "secrets.toml"
    password = "\n" if said.startswith("两次") else "口令\n"
    refused = add_editor(secrets, "wang", *args, "--password-stdin", password=password)
    assert refused.returncode == 1 and said in refused.stderr, refused.stderr
    assert not secrets.exists()
