"""Build the intranet bundles (``make bundle``): one ``.tar.gz`` per machine architecture.

    python scripts/bundle.py [--arch x86_64 aarch64] [--python 3.11 3.12 3.13] [--out dist]
                             [--version V] [--data DIR] [--cache DIR]

Run on a machine with access to PyPI. Each bundle, ``dist/shizhong-<version>-linux-<arch>.tar.gz``,
unpacks to one folder holding:

- ``app/``: what the dashboard needs to run (:data:`APP_PATHS`; never secrets or state);
- ``wheels/``: one wheel per package of the lock (``requirements.txt``) for each CPython of
  ``--python`` on ``<arch>``, manylinux tags no newer than glibc 2.28 (Kylin V10, UOS 20),
  picked by pip (``--only-binary=:all: --platform ...``) and checked against the lock's hashes;
  pip's own wheel, to make the target's venv without ``ensurepip``;
- ``fonts/``: the CJK font of the map picture, from the PyPI package :data:`FONT_PACKAGE` (SIL
  OFL 1.1, its licence beside it), so the target needs no font package and no download;
- ``install.sh``, ``INSTALL.md`` (deploy/bundle/), ``VERSION`` and ``SHA256SUMS`` (every file).

Downloaded wheels are kept in ``--cache`` (``~/.cache/shizhong-bundle`` by default); a wheel
found there with a hash of the lock is not downloaded again, so a rebuild needs no network.
A ``.sha256`` file is written beside each bundle. Prints one line per bundle: path, size.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

PROJECT_DIR = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT_DIR / "deploy" / "bundle"
ARCHES = ("x86_64", "aarch64")
PYTHONS = ("3.11", "3.12", "3.13")
#: The newest glibc a wheel may need: Kylin V10 and UOS 20 ship glibc 2.28.
GLIBC = (2, 28)
#: What the bundle's ``app/`` holds: the files the dashboard runs from (no tests, no tools).
APP_PATHS = (
    "app.py",
    "app_pages",
    "ui",
    "geo",
    "static",
    "data",
    "migrations",
    ".streamlit/config.toml",
    "pyproject.toml",
    "requirements.txt",
    "README.md",
)
#: Never copied into a bundle, wherever they are.
EXCLUDED_PARTS = ("__pycache__", ".pytest_cache", ".ruff_cache")
EXCLUDED_SUFFIXES = (".pyc", ".pyo")
EXCLUDED_NAMES = ("secrets.toml", ".env")
#: The map picture's CJK font: Noto Sans CJK (Regular, the OpenType collection Debian's
#: fonts-noto-cjk ships), SIL OFL 1.1; pinned by version and hash like the lock.
FONT_PACKAGE = (
    "noto-cjk-sans-otc",
    "0.0.1",
    "44596df7f0c1590cb9c4cfe85b9213b7e91e1086a8a024f1a05df6d6badd33ec",
)
#: pip, to make the target's venv (``--without-pip``: some systems' Pythons lack ensurepip);
#: pinned by version and hash like the lock.
PIP_PACKAGE = ("pip", "25.3", "9655943313a94722b7774661c21049070f6bbb0a1516bf02f7c8d5d9201514cd")
DEFAULT_CACHE = Path.home() / ".cache" / "shizhong-bundle"


@dataclass(frozen=True)
class Requirement:
    """One package of the lock: ``name==version``, its marker (or None) and its hashes."""

    name: str
    version: str
    marker: str | None
    hashes: frozenset[str]


def read_lock(path: Path) -> list[Requirement]:
    """The requirements of a ``uv pip compile --generate-hashes`` lock file.

    Parameters
    ----------
    path
        The lock (``requirements.txt``).

    Returns
    -------
    list of Requirement
        In the file's order.
    """
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    requirements = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
        spec = re.sub(r"--hash=\S+", "", line).strip()
        head, _, marker = spec.partition(";")
        name, _, version = head.strip().partition("==")
        name = re.sub(r"\[.*\]", "", name).strip()
        name = str(canonicalize_name(name))
        requirements.append(Requirement(name, version.strip(), marker.strip() or None, hashes))
    return requirements


def target_environment(arch: str, python: str) -> dict[str, str]:
    """The marker environment of CPython ``python`` on Linux ``arch``."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": "posix",
        "platform_machine": arch,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": "linux",
        "extra": "",
    }


def platforms(arch: str) -> list[str]:
    """The platform tags a wheel for glibc <= :data:`GLIBC` on ``arch`` may have, newest first."""
    out = [f"manylinux_{GLIBC[0]}_{minor}_{arch}" for minor in range(GLIBC[1], 4, -1)]
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    for minor, name in legacy.items():
        if minor <= GLIBC[1] and (arch == "x86_64" or minor == 17):
            out.insert(out.index(f"manylinux_2_{minor}_{arch}") + 1, f"{name}_{arch}")
    return out


def supported_tags(arch: str, python: str) -> list[Tag]:
    """The wheel tags CPython ``python`` takes on ``arch``, best first (as pip orders them)."""
    version = tuple(int(part) for part in python.split("."))
    plats = platforms(arch)
    return [
        *cpython_tags(version, abis=[f"cp{version[0]}{version[1]}"], platforms=plats),
        *compatible_tags(version, f"cp{version[0]}{version[1]}", plats),
    ]


def sha256(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class WheelCache:
    """Wheels downloaded once (``<cache>/wheels``), found again by name, version, tag, hash."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "wheels"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._hashes: dict[str, str] = {}

    def _hash(self, path: Path) -> str:
        key = f"{path.name}:{path.stat().st_size}"
        if key not in self._hashes:
            self._hashes[key] = sha256(path)
        return self._hashes[key]

    def find(self, requirement: Requirement, tags: list[Tag]) -> Path | None:
        """The cached wheel of ``requirement`` with the best of ``tags`` and a hash of the lock."""
        rank = {tag: i for i, tag in enumerate(tags)}
        best: tuple[int, Path] | None = None
        for path in self.folder.glob("*.whl"):
            name, version, _, wheel_tags = parse_wheel_filename(path.name)
            if name != requirement.name or str(version) != requirement.version:
                continue
            score = min((rank[t] for t in wheel_tags if t in rank), default=None)
            if score is None or (best is not None and score >= best[0]):
                continue
            if requirement.hashes and self._hash(path) not in requirement.hashes:
                continue
            best = (score, path)
        return None if best is None else best[1]

    def download(self, requirements: list[Requirement], arch: str, python: str) -> None:
        """``pip download`` the wheels of ``requirements`` for CPython ``python`` on ``arch``."""
        if not requirements:
            return
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            for req in requirements:
                hashes = " ".join(f"--hash=sha256:{h}" for h in sorted(req.hashes))
                handle.write(f"{req.name}=={req.version} {hashes}\n")
        abi = "cp" + python.replace(".", "")
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--only-binary=:all:", "--dest", str(self.folder),
            "--python-version", python, "--implementation", "cp", "--abi", abi,
            *(f"--platform={p}" for p in platforms(arch)),
            "-r", handle.name,
        ]  # fmt: skip
        if all(r.hashes for r in requirements):
            command.append("--require-hashes")
        try:
            subprocess.run(command, check=True)
        finally:
            os.unlink(handle.name)


def resolve(
    requirements: list[Requirement], cache: WheelCache, arch: str, python: str
) -> dict[str, Path]:
    """The wheel of each requirement that applies to CPython ``python`` on ``arch`` (downloaded
    into ``cache`` if missing there): ``{name: wheel}``.

    Raises
    ------
    RuntimeError
        If a package has no wheel for that target (pip found none, or none with a lock hash).
    """
    environment = target_environment(arch, python)
    wanted = [r for r in requirements if r.marker is None or Marker(r.marker).evaluate(environment)]
    tags = supported_tags(arch, python)
    missing = [r for r in wanted if cache.find(r, tags) is None]
    cache.download(missing, arch, python)
    found = {r.name: cache.find(r, tags) for r in wanted}
    lacking = sorted(name for name, path in found.items() if path is None)
    if lacking:
        raise RuntimeError(f"no wheel for CPython {python} on {arch}: {', '.join(lacking)}")
    return {name: path for name, path in found.items() if path is not None}


def app_files(project: Path = PROJECT_DIR) -> list[Path]:
    """The files of :data:`APP_PATHS` under ``project``, relative to it, sorted."""
    out = []
    for entry in APP_PATHS:
        path = project / entry
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for candidate in candidates:
            relative = candidate.relative_to(project)
            if (
                candidate.is_file()
                and not any(part in EXCLUDED_PARTS for part in relative.parts)
                and candidate.suffix not in EXCLUDED_SUFFIXES
                and candidate.name not in EXCLUDED_NAMES
            ):
                out.append(relative)
    return sorted(out)


def project_version(project: Path = PROJECT_DIR) -> str:
    """The ``[project] version`` of ``pyproject.toml``."""
    with (project / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def _single(requirement: Requirement, cache: WheelCache) -> Path:
    """A pure-Python wheel (py3-none-any) of one pinned package, downloaded once."""
    tags = supported_tags("x86_64", PYTHONS[0])
    wheel = cache.find(requirement, tags)
    if wheel is None:
        cache.download([requirement], "x86_64", PYTHONS[0])
        wheel = cache.find(requirement, tags)
    if wheel is None:
        raise RuntimeError(f"no wheel of {requirement.name}=={requirement.version}")
    return wheel


def extract_font(cache: WheelCache, folder: Path) -> list[Path]:
    """The font files and licence of :data:`FONT_PACKAGE`, written into ``folder``."""
    name, version, digest = FONT_PACKAGE
    wheel = _single(Requirement(name, version, None, frozenset({digest})), cache)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            base = member.rsplit("/", 1)[-1]
            if base.lower().endswith((".ttc", ".otf", ".ttf")):
                target = folder / base
            elif base == "LICENSE":
                target = folder / "OFL-1.1.txt"
            else:
                continue
            target.write_bytes(archive.read(member))
            written.append(target)
    return written


def _pip_wheel(cache: WheelCache) -> Path:
    name, version, digest = PIP_PACKAGE
    return _single(Requirement(name, version, None, frozenset({digest})), cache)


def _template(name: str, values: dict[str, str]) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("@" + key + "@", value)
    return text


def build(
    arch: str,
    version: str,
    out: Path,
    cache: WheelCache,
    pythons: tuple[str, ...] = PYTHONS,
    data: Path | None = None,
    project: Path = PROJECT_DIR,
    compresslevel: int = 6,
) -> Path:
    """Write ``out/shizhong-<version>-linux-<arch>.tar.gz`` (and its ``.sha256``).

    Parameters
    ----------
    arch
        ``x86_64`` or ``aarch64``.
    version
        The bundle's version (its folder name on the target, ``versions/<version>``).
    out
        The folder the bundle is written to (created if missing).
    cache
        Where wheels are downloaded to and found again.
    pythons
        The CPython versions to carry wheels for.
    data
        A folder to ship instead of the project's ``data/`` (a test's corrected records).
    project
        The project folder the app's files come from.
    compresslevel
        gzip's level (wheels are compressed already: a low level costs little size).

    Returns
    -------
    pathlib.Path
        The bundle.
    """
    if arch not in ARCHES:
        raise ValueError(f"arch must be one of {ARCHES}, got {arch!r}")
    requirements = read_lock(project / "requirements.txt")
    wheels: dict[str, Path] = {}
    for python in pythons:
        for path in resolve(requirements, cache, arch, python).values():
            wheels[path.name] = path
    pip_wheel = _pip_wheel(cache)
    wheels[pip_wheel.name] = pip_wheel
    name = f"shizhong-{version}-linux-{arch}"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bundle-") as scratch:
        root = Path(scratch) / name
        for relative in app_files(project):
            if data is not None and relative.parts[0] == "data":
                continue
            target = root / "app" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(project / relative, target)
        if data is not None:
            shutil.copytree(data, root / "app" / "data")
        (root / "wheels").mkdir()
        for wheel_name, path in sorted(wheels.items()):
            _link_or_copy(path, root / "wheels" / wheel_name)
        extract_font(cache, root / "fonts")
        values = {
            "VERSION": version,
            "ARCH": arch,
            "PYTHONS": " ".join(pythons),
            "PIP_WHEEL": pip_wheel.name,
        }
        for template in ("install.sh", "INSTALL.md"):
            (root / template).write_text(_template(template, values), encoding="utf-8")
        (root / "install.sh").chmod(0o755)
        (root / "VERSION").write_text(version + "\n", encoding="utf-8")
        sums = [
            f"{sha256(path)}  {path.relative_to(root).as_posix()}"
            for path in sorted(root.rglob("*"))
            if path.is_file()
        ]
        (root / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
        bundle = out / f"{name}.tar.gz"
        partial = bundle.with_suffix(".partial")
        with tarfile.open(partial, "w:gz", compresslevel=compresslevel) as archive:
            archive.add(root, arcname=name, filter=_normalised)
        partial.replace(bundle)
    (out / f"{bundle.name}.sha256").write_text(f"{sha256(bundle)}  {bundle.name}\n")
    return bundle


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the cache and the scratch folder share a file system, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Files owned by root, readable by all (the target's installer may be any user)."""
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mode = 0o755 if info.isdir() or info.mode & 0o100 else 0o644
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", nargs="+", choices=ARCHES, default=list(ARCHES))
    parser.add_argument("--python", nargs="+", choices=PYTHONS, default=list(PYTHONS))
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "dist")
    parser.add_argument("--version", default=None, help="default: pyproject.toml's version")
    parser.add_argument("--data", type=Path, default=None, help="ship this folder as data/")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--compresslevel", type=int, default=6)
    args = parser.parse_args(argv)
    cache = WheelCache(args.cache)
    version = args.version or project_version()
    for arch in args.arch:
        started = time.perf_counter()
        bundle = build(
            arch, version, args.out, cache, tuple(args.python), args.data,
            compresslevel=args.compresslevel,
        )  # fmt: skip
        size = bundle.stat().st_size / 1e6
        print(f"{bundle}  {size:.0f} MB  ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
