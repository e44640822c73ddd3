"""The intranet bundles (scripts/bundle.py, deploy/bundle/install.sh), as a district's IT uses
them: built from the lock, installed and served with no network, upgraded, rolled back.

Each install and each served app runs in a network namespace of its own with nothing but
loopback (``unshare -n``, then ``ip link set lo up``): a step that tried to reach the network
would fail. Building needs PyPI the first time only: wheels are cached in
``~/.cache/shizhong-bundle`` (scripts/bundle.py). Needs root (for ``unshare``) and Debian's
Chromium; skipped, saying why, without them. Versions A (1.0.0, every CPython) and B (1.0.1,
CPython 3.11 only, as the tests' machine has) are built once per session and installed into
one prefix in turn: the tests run in the file's order.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from packaging.markers import Marker
from packaging.utils import parse_wheel_filename

from scripts import bundle

PROJECT_DIR = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow
PYTHON = "/usr/bin/python3.11"  # the machine's own Python, as on a target
CORRECTED = "c-370103003001"  # 春元里社区: version B corrects its source (issue 24)
EDITED = "c-370103003004"  # 乐山小区社区: an office edits it, and B ships a change of it too
OLD_SOURCE = "article-2024#融合共治"
OFFICE_TEXT = "本单位核实后的说明。"
SHIPPED_TEXT = "发布的新说明。"
#: How long an offline install or a first page may take on a busy 2-core machine (an upper
#: bound, never a pause).
INSTALL_TIMEOUT_S = 600
SERVE_TIMEOUT_S = 180


def _can_unshare() -> str | None:
    """Why the offline steps cannot run here, or None."""
    if os.geteuid() != 0:
        return "unshare -n needs root"
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "needs unshare (util-linux) and ip (iproute2)"
    probe = subprocess.run(["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True)
    return None if probe.returncode == 0 else f"unshare -n failed: {probe.stderr.decode()}"


def offline(
    *command: str, timeout: float = INSTALL_TIMEOUT_S, cwd: Path | None = None, stdin: str = ""
):
    """Run ``command`` in a new network namespace with loopback only; returns the process
    (output as text); the environment is a clean one (no setting of the test session's)."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME": os.environ["HOME"]}
    env["LANG"] = "C.UTF-8"
    return subprocess.run(
        ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command],
        capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env, input=stdin,
    )  # fmt: skip


def _copy_data(folder: Path, site: str, column: str, value: str) -> Path:
    """data/ with one field of one site of sites.csv changed."""
    shutil.copytree(PROJECT_DIR / "data", folder)
    sites = pd.read_csv(folder / "sites.csv", dtype=str, keep_default_na=False)
    sites.loc[sites["id"] == site, column] = value
    sites.to_csv(folder / "sites.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The module's folder (bundles, unpacked copies, the installs: about 3 GB), removed after."""
    folder = tmp_path_factory.mktemp("bundle")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def built(scratch: Path) -> dict[str, Path]:
    """Bundles A (x86-64, CPython 3.11-3.13), B (x86-64, 3.11) and A for aarch64."""
    why = _can_unshare()
    if why:
        pytest.skip(why)
    dist = scratch / "dist"
    data = scratch / "data"
    # A: as before the correction (春元里 citing one section); B: data/ as it is now, and a
    # change of the record the office edits
    old = _copy_data(data / "a", CORRECTED, "source", OLD_SOURCE)
    new = _copy_data(data / "b", EDITED, "description", SHIPPED_TEXT)
    cache = bundle.WheelCache(bundle.DEFAULT_CACHE)
    started = time.perf_counter()
    out = {
        "a": bundle.build("x86_64", "1.0.0", dist, cache, data=old),
        "b": bundle.build("x86_64", "1.0.1", dist, cache, ("3.11",), data=new),
        "aarch64": bundle.build("aarch64", "1.0.0", dist, cache, compresslevel=1),
    }
    print(f"built 3 bundles in {time.perf_counter() - started:.0f} s")
    return out


def _unpack(bundle_path: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(bundle_path) as archive:
        archive.extractall(into, filter="tar")
    (folder,) = into.iterdir()
    return folder


@pytest.fixture(scope="module")
def prefix(scratch: Path) -> Path:
    return scratch / "installed" / "shizhong"


@pytest.fixture(scope="module")
def installed_a(built, prefix, scratch) -> subprocess.CompletedProcess:
    """Version A installed offline into ``prefix`` (with the systemd unit), the run timed."""
    folder = _unpack(built["a"], scratch / "unpacked-a")
    started = time.perf_counter()
    result = offline(
        str(folder / "install.sh"), "--prefix", str(prefix), "--python", PYTHON, "--service",
        "--port", "8601",
    )  # fmt: skip
    result.seconds = time.perf_counter() - started
    print(f"offline install of A: {result.seconds:.1f} s\n{result.stdout}")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# --- what is in a bundle -------------------------------------------------------------------------


def _members(path: Path) -> list[str]:
    with tarfile.open(path) as archive:
        return [m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name]


def test_bundle_holds_the_app_wheels_font_and_sums(built):
    members = set(_members(built["a"]))
    for wanted in (
        "install.sh", "INSTALL.md", "SHA256SUMS", "VERSION", "app/app.py", "app/geo/cli.py",
        "app/migrations/versions/0006_shipped.py", "app/.streamlit/config.toml",
        "app/requirements.txt", "app/data/sites.csv", "fonts/NotoSansCJK-Regular.ttc",
        "fonts/OFL-1.1.txt",
    ):  # fmt: skip
        assert wanted in members, wanted
    assert not [m for m in members if "secrets.toml" in m or "__pycache__" in m]
    assert not [m for m in members if m.startswith(("app/tests", "app/bench", "app/.venv"))]
    assert built["a"].name == "shizhong-1.0.0-linux-x86_64.tar.gz"
    digest = (built["a"].parent / f"{built['a'].name}.sha256").read_text().split()[0]
    assert digest == bundle.sha256(built["a"])


def _wheel_tags_ok(name: str, arch: str) -> bool:
    _, _, _, tags = parse_wheel_filename(name)
    for tag in tags:
        glibc = re.fullmatch(rf"manylinux_2_(\d+)_{arch}", tag.platform)
        platform_ok = (
            tag.platform == "any"
            or tag.platform == f"manylinux2014_{arch}"
            or (glibc is not None and int(glibc.group(1)) <= 28)
        )
        abi_ok = tag.abi in ("none", "abi3", "cp311", "cp312", "cp313")
        if platform_ok and abi_ok:
            return True
    return False


@pytest.mark.parametrize("python", bundle.PYTHONS)
def test_aarch64_bundle_has_one_wheel_per_locked_package(built, python):
    """Kunpeng/Phytium servers (Kylin V10, UOS 20: glibc 2.28) on each CPython 3.11-3.13."""
    wheels = [m.removeprefix("wheels/") for m in _members(built["aarch64"]) if m.endswith(".whl")]
    assert all(_wheel_tags_ok(w, "aarch64") for w in wheels), [
        w for w in wheels if not _wheel_tags_ok(w, "aarch64")
    ]
    supported = set(bundle.supported_tags("aarch64", python))
    environment = bundle.target_environment("aarch64", python)
    for requirement in bundle.read_lock(PROJECT_DIR / "requirements.txt"):
        if requirement.marker and not Marker(requirement.marker).evaluate(environment):
            continue
        fitting = [
            w
            for w in wheels
            if parse_wheel_filename(w)[0] == requirement.name
            and str(parse_wheel_filename(w)[1]) == requirement.version
            and supported & set(parse_wheel_filename(w)[3])
        ]
        assert len(fitting) == 1, (requirement.name, requirement.version, fitting)
    assert not [w for w in wheels if parse_wheel_filename(w)[0] == "coordtransform"]


# --- installing and serving with no network --------------------------------------------------


def test_install_offline(installed_a, prefix):
    assert "校验文件" in installed_a.stdout and "安装完成：1.0.0" in installed_a.stdout
    assert (prefix / "current").resolve() == prefix / "versions" / "1.0.0"
    assert os.access(prefix / "run", os.X_OK)
    unit = (prefix / "shizhong-dashboard.service").read_text(encoding="utf-8")
    assert f"ExecStart={prefix}/run --port 8601" in unit
    assert (prefix / "state" / "shizhong.sqlite").exists()  # migrated and seeded at install
    site = prefix / "versions/1.0.0/venv/lib/python3.11/site-packages"
    fonts = list((site / "matplotlib/mpl-data/fonts/ttf").glob("NotoSansCJK*"))
    assert fonts, "the CJK font is not where matplotlib looks"
    found = _installed_python(
        prefix,
        "from matplotlib import font_manager as fm; "
        "print([f.fname for f in fm.fontManager.ttflist if f.name == 'Noto Sans CJK SC'])",
    )
    bundled = f"{prefix}/current/venv/lib/python3.11/site-packages/matplotlib/mpl-data/fonts/ttf"
    assert f"{bundled}/NotoSansCJK-Regular.ttc" in found, found  # matplotlib lists it


def test_bundle_refuses_a_damaged_file(built, tmp_path):
    folder = _unpack(built["b"], tmp_path)
    with (folder / "app" / "app.py").open("a") as handle:
        handle.write("# changed\n")
    result = offline(str(folder / "install.sh"), "--prefix", str(tmp_path / "p"))
    assert result.returncode != 0
    assert "校验失败" in result.stderr and not (tmp_path / "p" / "current").exists()


def test_a_missing_python_is_said_with_how_to_get_one(built, tmp_path):
    folder = _unpack(built["b"], tmp_path)
    result = offline(str(folder / "install.sh"), "--prefix", str(tmp_path / "p"), "--python",
                     "/bin/false")  # fmt: skip
    assert result.returncode != 0 and "不是 Python 3.11 之一" in result.stderr
    empty = tmp_path / "bin"
    empty.mkdir()
    for tool in ("sh", "sha256sum", "uname", "dirname", "mkdir", "env", "sed", "cat"):
        os.symlink(shutil.which(tool), empty / tool)
    result = subprocess.run(
        ["/bin/sh", str(folder / "install.sh"), "--prefix", str(tmp_path / "p")],
        capture_output=True, text=True, env={"PATH": str(empty)}, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "没有找到 Python 3.11" in result.stderr  # bundle B carries wheels for 3.11 only
    assert (
        "yum install -y python3.11" in result.stderr
        and "apt install -y python3.11" in result.stderr
    )


def probe(prefix: str, port: int, browser: bool, timeout: float = SERVE_TIMEOUT_S) -> dict:
    """Inside the offline namespace: ``PREFIX/run --port PORT``, wait for its health, then (with
    ``browser``) open the overview in Chromium and wait for the map; every request off the
    machine is aborted and counted. Prints and returns the findings as JSON."""
    from bench.server import stop, tail, wait_healthy

    log = Path(prefix) / "state" / f"serve-{port}.log"
    found: dict = {"health": False}
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [f"{prefix}/run", "--port", str(port), "--address", "127.0.0.1"],
            stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env={"PATH": "/usr/bin:/bin", "HOME": os.environ["HOME"]},
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(base, process, log, timeout)
        except (RuntimeError, TimeoutError):
            found["log"] = tail(log)
            print(json.dumps(found, ensure_ascii=False))
            return found
        found["health"] = True
        if browser:
            found.update(_browse(base))
    finally:
        stop(process)
    print(json.dumps(found, ensure_ascii=False))
    return found


def _browse(base: str) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.support import launch_browser, wait_for_map, watch

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        try:
            context = chromium.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
            watched = watch(context)
            watched.page.goto(base + "/", timeout=SERVE_TIMEOUT_S * 1000)
            shown = wait_for_map(watched.page, timeout=SERVE_TIMEOUT_S)
            return {
                "sites": shown.sites,
                "areas": shown.areas,
                "foreign": watched.foreign,
                "requests": len(watched.requests),
                "page_errors": watched.page_errors,
            }
        finally:
            chromium.close()


def _probe(prefix: Path, port: int, browser: bool = True) -> dict:
    code = f"from tests.test_bundle import probe; probe({str(prefix)!r}, {port}, {browser})"
    result = offline(sys.executable, "-c", code, cwd=PROJECT_DIR, timeout=SERVE_TIMEOUT_S * 3)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1])


def test_serves_the_overview_map_offline(installed_a, prefix):
    from tests.browser.support import CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}")
    found = _probe(prefix, 8601)
    assert found["health"], found.get("log")
    subdistricts = len(pd.read_csv(PROJECT_DIR / "data" / "subdistricts.csv"))
    assert found["sites"] == 20 and found["areas"] == subdistricts, found
    assert found["foreign"] == [] and found["requests"] > 0, found
    assert found["page_errors"] == [], found


# --- upgrading and rolling back ----------------------------------------------------------------


def _installed_python(prefix: Path, code: str, *args: str) -> str:
    """Run ``code`` (``sys.argv[1:]`` = ``args``) with the installed version's Python on its
    store and settings as ``PREFIX/run`` sets them, offline; returns its output."""
    result = offline(
        "/bin/sh", "-c",
        f'cd "{prefix}/current/app" && SHIZHONG_STATE_DIR="{prefix}/state" '
        f'MPLCONFIGDIR="{prefix}/current/mplconfig" '
        f'exec "{prefix}/current/venv/bin/python" -c "$0" "$@"', code, *args,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


_OPEN = "import json, sys; from geo.store.records import Store; s = Store.open(); "
_READ = (
    _OPEN + "print(json.dumps({k: s.get('sites', k) for k in sys.argv[1:]}, ensure_ascii=False))"
)
_EDIT = (
    _OPEN
    + "r = s.get('sites', sys.argv[1]); "
    + "s.save('sites', {**r, 'description': sys.argv[2]}, 'office', r['version'])"
)


@pytest.fixture(scope="module")
def upgraded(installed_a, built, prefix, scratch) -> subprocess.CompletedProcess:
    """An office edits 乐山小区社区, an editor account is added (``run geo add-editor``: into
    ``etc/secrets.toml``) and a setting set; then B is installed."""
    _installed_python(prefix, _EDIT, EDITED, OFFICE_TEXT)
    added = offline(
        str(prefix / "run"), "geo", "add-editor", "alice", "--password-stdin",
        stdin="correct horse\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stdout + added.stderr
    assert "alice" in (prefix / "etc" / "secrets.toml").read_text(encoding="utf-8")
    with (prefix / "etc" / "settings.env").open("a", encoding="utf-8") as handle:
        handle.write("SHIZHONG_BASEMAP=none\n")
    folder = _unpack(built["b"], scratch / "unpacked-b")
    started = time.perf_counter()
    result = offline(str(folder / "install.sh"), "--prefix", str(prefix))  # finds python3.11
    result.seconds = time.perf_counter() - started
    print(f"offline upgrade A -> B: {result.seconds:.1f} s\n{result.stdout}")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_upgrade_keeps_the_office_edit_and_brings_the_correction(upgraded, prefix):
    assert (prefix / "current").resolve() == prefix / "versions" / "1.0.1"
    assert (prefix / "previous").read_text().strip() == "1.0.0"
    out = upgraded.stdout
    assert "更正 1 条" in out and "冲突 1 条" in out, out
    assert f"已更正：点位「春元里社区」（{CORRECTED}）" in out
    assert f"冲突：点位「乐山小区社区」（{EDITED}）" in out and "说明" in out
    records = json.loads(_installed_python(prefix, _READ, CORRECTED, EDITED))
    assert records[CORRECTED]["source"] == "article-2024#融合共治、聚能创新"
    assert records[EDITED]["description"] == OFFICE_TEXT
    # secrets and settings kept, the store backed up before the upgrade
    secrets = prefix / "versions" / "1.0.1" / "app" / ".streamlit" / "secrets.toml"
    assert secrets.is_symlink() and "alice" in secrets.read_text(encoding="utf-8")
    assert "SHIZHONG_BASEMAP=none" in (prefix / "etc" / "settings.env").read_text()
    assert list((prefix / "state" / "backups").glob("*.sqlite"))
    conflicts = _installed_python(
        prefix,
        "from geo.store.records import Store; from geo.store.shipped import shipped_conflicts; "
        "print([c.record_id for c in shipped_conflicts(Store.open())])",
    )
    assert conflicts.strip() == f"['{EDITED}']"


def _schema(prefix: Path) -> str:
    code = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("
    code += "'SELECT version_num FROM alembic_version').fetchone()[0])"
    return _installed_python(prefix, code, str(prefix / "state" / "shizhong.sqlite")).strip()


def test_rollback_returns_to_the_previous_version(upgraded, prefix):
    # A and B share their newest migration; as if A predated 0006, the rollback must first take
    # the schema back with B's migrations (A's own start then migrates it up again)
    (prefix / "versions" / "1.0.0" / "SCHEMA_HEAD").write_text("0005\n")
    result = offline(str(prefix / "current" / "install.sh"), "--prefix", str(prefix), "--rollback")
    assert result.returncode == 0, result.stdout + result.stderr
    print(result.stdout)
    assert "退回到 1.0.0 的版本（0005）" in result.stdout and _schema(prefix) == "0005"
    assert "已回滚：1.0.1 → 1.0.0" in result.stdout
    assert (prefix / "current").resolve() == prefix / "versions" / "1.0.0"
    assert (prefix / "previous").read_text().strip() == "1.0.1"
    found = _probe(prefix, 8602, browser=False)
    assert found["health"], found.get("log")
    records = json.loads(_installed_python(prefix, _READ, CORRECTED, EDITED))
    assert records[EDITED]["description"] == OFFICE_TEXT  # the data stays
