"""Vector files as people hand them out, read into WGS-84 (EPSG:4326, degrees).

A ``.zip`` (or ``.kmz``) as it is emailed, a shapefile's loose parts, a GeoPackage, GeoJSON or
KML. A shapefile's text encoding is found from its ``.cpg`` or, without one, from the bytes
(strict UTF-8, else GB18030): GDAL falls back to ISO-8859-1 there and returns mojibake without
an error, so every shapefile is read as ISO-8859-1 (which keeps the bytes) and decoded here.
The CRS is the one declared (or given), corrected when the coordinates contradict it (a
Gauss-Kruger easting with or without its zone number, metres under a geographic CRS), or
inferred from the coordinates' magnitudes when the file declares none.

Problems with the file raise :class:`VectorFileError`, whose ``key`` is a label of
:mod:`geo.text.labels` (section "boundary files") and ``values`` fill it; what was corrected or
inferred comes back as :class:`Note` objects of the same kind.

A file from outside is read by :func:`read_file`: cheap checks first, in the caller's process
(an archive's directory: its members, unpacked size and compression ratios, against
:class:`geo.isolation.ParseLimits`), then the unpacking and GDAL's reading in a child process
with a memory, CPU and time limit (:mod:`geo.isolation`), which counts the vertices before
GDAL parses a GeoJSON, KML or shapefile (``max_vertices``). The child answers with the
layers' attributes and WKB; a child that dies costs only that read.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import math
import re
import shutil
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo import isolation
from geo.config import child_environment, parse_limits
from geo.data import datum
from geo.intake.sheetfile import MAX_MEMBERS, declared_members
from geo.isolation import ParseLimits
from geo.text.labels import t

WGS84 = "EPSG:4326"
#: What a file may be (lower-case suffix -> GDAL driver); archives are unpacked first.
DRIVERS = {
    ".shp": "ESRI Shapefile",
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".kml": "KML",
}
ARCHIVES = (".zip", ".kmz")
#: A shapefile's parts that must be there beside the ``.shp``.
SHAPEFILE_PARTS = (".shx", ".dbf")
#: An archive may hold at most this many members (a boundary file is a handful): listing a
#: directory of millions would take the server gigabytes. Its unpacked size and each member's
#: compression ratio are limits of :class:`geo.isolation.ParseLimits`.
#: A member smaller than this is not judged by its compression ratio (a blank table packs well).
RATIO_MIN_BYTES = 1024 * 1024
#: The attribute text the reading child may hand back (its geometry is bounded by
#: ``ParseLimits.max_vertices``): what the server parses from its answer stays small.
MAX_ATTRIBUTE_BYTES = 32 * 1024 * 1024
#: Encodings tried, in order, for a shapefile's text when its ``.cpg`` does not say (or lies).
TEXT_ENCODINGS = ("utf-8", "gb18030")
_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.CRSError,
    OSError,
    ValueError,
    UnicodeDecodeError,
)


class VectorFileError(Exception):
    """A file that cannot be read as it is; ``key`` names the label, ``values`` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key}: {values}")
        self.key, self.values = key, values


@dataclass(frozen=True)
class Note:
    """Something the reader corrected, inferred or had to know (a label key and its values)."""

    key: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LayerRef:
    """One layer of one file: ``path`` (inside an unpacked archive if need be), its GDAL
    ``driver`` and ``layer`` name; ``name`` is how a person would call it."""

    path: Path
    driver: str
    layer: str
    name: str


@dataclass(frozen=True)
class VectorLayer:
    """A layer read into EPSG:4326: its attribute columns and ``geometry``.

    ``crs_declared`` is the CRS the file declares (None: none), ``crs_used`` the one the
    coordinates were read in (``GCJ-02``/``BD-09`` for those datums), ``crs_how`` how it was
    chosen: ``declared``, ``given``, ``corrected`` or ``inferred``. ``encoding`` is the text
    encoding used (None where the format fixes it, e.g. GeoPackage). ``notes`` say what was
    corrected or inferred.
    """

    ref: LayerRef
    frame: gpd.GeoDataFrame
    crs_declared: CRS | None
    crs_used: CRS | str
    crs_how: str
    encoding: str | None
    notes: tuple[Note, ...]


# --- reading a file from outside, in a child process -------------------------------------


def read_file(
    path: Path,
    crs: str | None = None,
    near_lon: float | None = None,
    limits: ParseLimits | None = None,
) -> tuple[list[VectorLayer], list[VectorFileError]]:
    """Every layer of a file from outside, read into WGS-84 in a child process with limits.

    The cheap checks run here first (the suffix; an archive's directory, :func:`check_archive`);
    then a child process (:mod:`geo.isolation`) unpacks the archive into a temporary folder
    made and removed here, counts the vertices before GDAL parses anything, and reads every
    layer (:func:`open_layers`, :func:`read_layer`). A file that kills the child, or would
    take more memory or time than ``limits`` allow, costs only the child.

    Parameters
    ----------
    path
        As for :func:`open_layers`.
    crs, near_lon
        As for :func:`read_layer`.
    limits
        What reading it may cost (:func:`geo.config.parse_limits` by default).

    Returns
    -------
    tuple of (list of VectorLayer, list of VectorFileError)
        The layers read, in EPSG:4326, and the problems of the files or layers that could
        not be read (in the order :func:`open_layers` and :func:`read_layer` met them).

    Raises
    ------
    VectorFileError
        As :func:`open_layers`; ``bnd_archive_members``, ``bnd_archive_unpacked`` or
        ``bnd_archive_ratio`` from the archive's directory; ``bnd_too_many_vertices`` over
        ``limits.max_vertices``; ``bnd_attributes_too_large``; ``bnd_file_too_large``,
        ``bnd_file_timeout`` or ``bnd_file_crashed`` when the child ran out of memory, out of
        time or died.
    """
    path = Path(path)
    limits = limits or parse_limits()
    if not path.exists():
        raise VectorFileError("bnd_no_file", file=path.name)
    suffix = path.suffix.lower()
    if not path.is_dir() and suffix not in ARCHIVES and suffix not in DRIVERS:
        raise VectorFileError("bnd_unsupported", file=path.name, suffix=path.suffix or "–")
    if not path.is_dir() and suffix in ARCHIVES:
        check_archive(path, limits)
    near = "" if near_lon is None else repr(float(near_lon))
    # the folder is made and removed here: it goes even when the child is killed mid-unpack
    with tempfile.TemporaryDirectory(prefix="boundary-") as folder:
        try:
            answer = isolation.run(
                "geo.intake.vectorfile:layers_as_json",
                [str(path), folder, crs or "", near],
                limits,
                child_environment(),
            )
        except isolation.IsolatedError as error:
            raise _child_problem(error, path, limits) from error
    if answer["error"]:
        raise _error_from_json(answer["error"])
    layers = [_layer_from_json(item) for item in answer["layers"]]
    return layers, [_error_from_json(item) for item in answer["problems"]]


def layers_as_json(path: str, folder: str, crs: str, near_lon: str, *, limits: ParseLimits) -> dict:
    """What :func:`read_file` asks of its child process: every layer, as JSON can carry it.

    Parameters
    ----------
    path
        The file (as for :func:`open_layers`).
    folder
        An empty folder to unpack an archive into (made and removed by the caller).
    crs
        The CRS to read the coordinates in (``""``: as declared, corrected or inferred).
    near_lon
        Longitude of the place the file should cover, as text (``""``: none).
    limits
        The limits (``max_unpacked_mb``, ``max_ratio``, ``max_vertices``).

    Returns
    -------
    dict
        ``layers`` (each layer's reference, attribute columns, WKB geometry in base64, CRS
        declared and used, how, encoding and notes), ``problems`` (the files or layers that
        could not be read) and ``error`` (what stops the whole file, or None); problems and
        the error as ``{"key", "values"}``, a CRS among the values as ``{"crs": WKT}``.
    """
    answer: dict = {"layers": [], "problems": [], "error": None}
    near = float(near_lon) if near_lon else None
    try:
        with open_layers(Path(path), Path(folder), limits) as (refs, problems):
            answer["problems"] = [_error_json(p) for p in problems]
            vertices, budget = 0, MAX_ATTRIBUTE_BYTES
            for ref in refs:
                try:
                    layer = read_layer(ref, crs or None, near, max_vertices=limits.max_vertices)
                except VectorFileError as problem:
                    if problem.key == "bnd_too_many_vertices":
                        raise
                    answer["problems"].append(_error_json(problem))
                    continue
                vertices += _vertices(layer.frame)
                if vertices > limits.max_vertices:
                    name = _shown_name(Path(path))
                    raise _too_many_vertices(name, vertices, limits.max_vertices)
                item, budget = _layer_json(layer, budget)
                answer["layers"].append(item)
    except VectorFileError as problem:
        return {"layers": [], "problems": [], "error": _error_json(problem)}
    return answer


def _child_problem(
    error: isolation.IsolatedError, path: Path, limits: ParseLimits
) -> VectorFileError:
    """The report's words for a child that died, ran out of memory or out of time (what the
    child said is kept as ``detail`` for the log; the words do not show it)."""
    values = {"file": _shown_name(path), "detail": error.detail}
    if error.key == "file_too_large":
        return VectorFileError("bnd_file_too_large", mb=f"{limits.memory_mb:,}", **values)
    if error.key == "file_timeout":
        return VectorFileError("bnd_file_timeout", seconds=f"{limits.seconds:,}", **values)
    return VectorFileError("bnd_file_crashed", **values)


def _shown_name(path: Path) -> str:
    """How the report names ``path``: a folder of uploaded parts by the files in it."""
    if path.is_dir():
        return "、".join(sorted(p.name for p in path.iterdir() if p.is_file())) or path.name
    return path.name


def _json_value(value: object) -> object:
    if isinstance(value, CRS):
        return {"crs": value.to_wkt() or value.srs}
    return value


def _python_value(value: object) -> object:
    if isinstance(value, dict) and set(value) == {"crs"}:
        return CRS.from_user_input(value["crs"])
    return value


def _error_json(problem: VectorFileError) -> dict:
    return {"key": problem.key, "values": {k: _json_value(v) for k, v in problem.values.items()}}


def _error_from_json(item: dict) -> VectorFileError:
    return VectorFileError(item["key"], **{k: _python_value(v) for k, v in item["values"].items()})


def _cell(value: object) -> object:
    """An attribute value as JSON carries it (dates as ISO text, anything odd as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _layer_json(layer: VectorLayer, budget: int) -> tuple[dict, int]:
    """(the layer as JSON carries it, the attribute budget left)."""
    frame = layer.frame
    columns = []
    for column in frame.columns:
        if column == frame.geometry.name:
            continue
        values = [_cell(v) for v in frame[column].tolist()]
        budget -= len(str(column)) + sum(len(v) if isinstance(v, str) else 8 for v in values)
        if budget < 0:
            raise VectorFileError(
                "bnd_attributes_too_large",
                file=layer.ref.name,
                mb=f"{MAX_ATTRIBUTE_BYTES // 2**20:,}",
            )
        columns.append([str(column), values])
    wkb = shapely.to_wkb(frame.geometry.to_numpy())
    item = {
        "ref": [str(layer.ref.path), layer.ref.driver, layer.ref.layer, layer.ref.name],
        "columns": columns,
        "geometry": [None if g is None else base64.b64encode(g).decode("ascii") for g in wkb],
        "crs_declared": _json_value(layer.crs_declared),
        "crs_used": _json_value(layer.crs_used),
        "crs_how": layer.crs_how,
        "encoding": layer.encoding,
        "notes": [_error_json(VectorFileError(n.key, **n.values)) for n in layer.notes],
    }
    return item, budget


def _layer_from_json(item: dict) -> VectorLayer:
    path, driver, layer, name = item["ref"]
    geometry = shapely.from_wkb(
        np.array([None if g is None else base64.b64decode(g) for g in item["geometry"]], object)
    )
    data = pd.DataFrame(dict(item["columns"]), index=pd.RangeIndex(len(geometry)))
    frame = gpd.GeoDataFrame(data, geometry=geometry, crs=WGS84)
    notes = tuple(
        Note(n["key"], {k: _python_value(v) for k, v in n["values"].items()}) for n in item["notes"]
    )
    return VectorLayer(
        LayerRef(Path(path), driver, layer, name),
        frame,
        _python_value(item["crs_declared"]),
        _python_value(item["crs_used"]),
        item["crs_how"],
        item["encoding"],
        notes,
    )


# --- the cheap checks: an archive's directory, the vertices ---------------------------------


def check_archive(archive: Path, limits: ParseLimits | None = None) -> None:
    """Refuse an archive whose directory already shows it too large; nothing is unpacked.

    Parameters
    ----------
    archive
        A ``.zip`` or ``.kmz``.
    limits
        ``max_unpacked_mb`` (the members' unpacked total, MiB) and ``max_ratio`` (one
        member's unpacked size over its packed size, for members over
        :data:`RATIO_MIN_BYTES`); :func:`geo.config.parse_limits` by default.

    Raises
    ------
    VectorFileError
        ``bnd_archive_members`` (more than :data:`MAX_MEMBERS`, read from the directory's end
        record before the directory itself), ``bnd_archive_unpacked``,
        ``bnd_archive_ratio``, or ``bnd_bad_archive`` if it is no zip.
    """
    limits = limits or parse_limits()
    count = declared_members(archive)
    if count is not None and count > MAX_MEMBERS:
        raise VectorFileError(
            "bnd_archive_members", file=archive.name, n=f"{count:,}", limit=f"{MAX_MEMBERS:,}"
        )
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [m for m in bundle.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise VectorFileError("bnd_bad_archive", file=archive.name, detail=str(error)) from error
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_mb * 2**20:
        raise VectorFileError(
            "bnd_archive_unpacked",
            file=archive.name,
            mb=f"{math.ceil(unpacked / 2**20):,}",
            limit=f"{limits.max_unpacked_mb:,}",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_MIN_BYTES and ratio > limits.max_ratio:
            raise VectorFileError(
                "bnd_archive_ratio",
                file=archive.name,
                member=_member_name(member),
                ratio=f"{ratio:,.0f}",
                limit=f"{limits.max_ratio:,}",
            )


def _too_many_vertices(name: str, count: int, limit: int) -> VectorFileError:
    return VectorFileError("bnd_too_many_vertices", file=name, n=f"{count:,}", limit=f"{limit:,}")


def _vertices(frame: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())


def _check_vertices(files: list[Path], given: Path, limit: int) -> None:
    """Count the vertices of the GeoJSON, KML and shapefiles among ``files`` from their bytes,
    before GDAL parses them (GDAL holds a whole GeoJSON or KML in memory, many times its
    size); refuse the file beyond ``limit``. A GeoPackage is counted once read."""
    total = 0
    for file in files:
        total += _count_vertices(file)
    if total > limit:
        raise _too_many_vertices(_shown_name(given), total, limit)


def _count_vertices(file: Path) -> int:
    """The vertices of one file as its bytes show them (0 for a format not counted here)."""
    driver = DRIVERS.get(file.suffix.lower())
    try:
        if driver == "GeoJSON":
            return _geojson_vertices(file)
        if driver == "KML":
            return _kml_vertices(file)
        if driver == "ESRI Shapefile":
            return _shapefile_vertices(file)
    except OSError:
        return 0  # GDAL says what is wrong with it
    return 0


_CHUNK = 1024 * 1024
#: A GeoJSON position: ``[`` then a number (the innermost arrays of ``coordinates``).
_POSITION = re.compile(rb"\[\s*[-+]?\.?\d")
_KML_COORDINATES = re.compile(rb"<(/?)(?:[\w.-]+:)?coordinates\b[^>]*>", re.IGNORECASE)


def _geojson_vertices(file: Path) -> int:
    count, tail = 0, b""
    with file.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            cut = text.rfind(b"[")  # a position starts with "[": never cut inside one
            if cut < 0 or len(text) - cut > 4096:  # no "[" (or one before a run of spaces)
                cut = len(text)
            count += len(_POSITION.findall(text, 0, cut))
            tail = text[cut:]
    return count + len(_POSITION.findall(tail))


def _kml_vertices(file: Path) -> int:
    """The tuples (``lon,lat[,alt]``, apart by white space) inside ``<coordinates>``."""
    count, tail, inside = 0, b"", False
    with file.open("rb") as stream:
        while True:
            chunk = stream.read(_CHUNK)
            text = tail + chunk
            if chunk and len(text) < 64 * _CHUNK:  # cut where no tag and no tuple is split
                opening, closing = text.rfind(b"<"), text.rfind(b">")
                space = max(text.rfind(b" "), text.rfind(b"\n"), text.rfind(b"\t"))
                cut = opening if opening > closing else max(space, closing + 1)
            else:
                cut = len(text)
            piece, tail = text[:cut], text[cut:]
            start = 0
            for tag in _KML_COORDINATES.finditer(piece):
                if inside:
                    count += len(piece[start : tag.start()].split())
                inside = not tag.group(1) and not tag.group(0).endswith(b"/>")
                start = tag.end()
            if inside:
                count += len(piece[start:].split())
            if not chunk:
                return count


def _shapefile_vertices(file: Path) -> int:
    """The points the ``.shp`` records declare (each record's header, nothing else read)."""
    count = 0
    with file.open("rb") as stream:
        stream.seek(100)
        while len(header := stream.read(8)) == 8:
            length = struct.unpack(">2i", header)[1] * 2
            if length < 4:
                break
            head = stream.read(min(length, 44))
            kind = struct.unpack_from("<i", head)[0] if len(head) >= 4 else 0
            if kind in (1, 11, 21):  # a point
                count += 1
            elif kind in (3, 5, 13, 15, 23, 25, 31) and len(head) >= 44:
                count += max(0, struct.unpack_from("<i", head, 40)[0])
            elif kind in (8, 18, 28) and len(head) >= 40:  # multipoint
                count += max(0, struct.unpack_from("<i", head, 36)[0])
            stream.seek(length - len(head), 1)
    return count


# --- finding the layers ----------------------------------------------------------------------


@contextlib.contextmanager
def open_layers(
    path: Path, folder: Path | None = None, limits: ParseLimits | None = None
) -> Iterator[tuple[list[LayerRef], list[VectorFileError]]]:
    """The layers of ``path`` and the problems of the files that could not be opened.

    A context manager: an archive is unpacked into ``folder``, or a temporary folder that
    lives as long as the context. Reading a file from outside goes through
    :func:`read_file`, which runs this in a child process with limits.

    Parameters
    ----------
    path
        A file of :data:`DRIVERS`, an archive of :data:`ARCHIVES` (member names decoded as
        their maker wrote them, unsafe parts dropped, checked by :func:`check_archive`) or a
        folder (e.g. a shapefile's uploaded parts); hidden and ``__MACOSX`` files are skipped.
    folder
        An empty folder to unpack an archive into; None for a temporary one.
    limits
        The limits of the archive and of the vertices counted before GDAL opens a file
        (:func:`geo.config.parse_limits` by default).

    Yields
    ------
    tuple of (list of LayerRef, list of VectorFileError)
        Every layer of every readable file, and the problems of the files that could not be
        opened (a shapefile without its ``.shx`` or ``.dbf``, an unreadable file).

    Raises
    ------
    VectorFileError
        If there is nothing to read at all: no such file, an unsupported suffix, a broken,
        oversized or empty archive, a folder without a vector file, or no file that opens;
        or more vertices than ``limits.max_vertices``.
    """
    path = Path(path)
    limits = limits or parse_limits()
    if not path.exists():
        raise VectorFileError("bnd_no_file", file=path.name)
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="boundary-")))
        folder = Path(folder)
        if path.is_dir():
            files = _candidates(path)
        elif path.suffix.lower() in ARCHIVES:
            files = _candidates(_unpack(path, folder, limits))
            if not files:
                raise VectorFileError("bnd_archive_empty", file=path.name, names=_listing(folder))
        elif path.suffix.lower() in DRIVERS:
            files = [path]
        else:
            raise VectorFileError("bnd_unsupported", file=path.name, suffix=path.suffix or "–")
        if not files:
            raise VectorFileError("bnd_nothing_found", file=path.name, names=_listing(path))
        _check_vertices(files, path, limits.max_vertices)
        layers, problems = [], []
        for file in files:
            try:
                layers += _layers_of(file, path)
            except VectorFileError as problem:
                problems.append(problem)
        if not layers:
            raise problems[0]
        yield layers, problems


def _candidates(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in DRIVERS and not _hidden(p.relative_to(folder))
    )


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "__MACOSX")) for part in relative.parts)


def _listing(folder: Path) -> str:
    names = [p.name for p in sorted(folder.rglob("*")) if p.is_file()] if folder.is_dir() else []
    return "、".join(names[:12]) or "–"


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it: zips from a Chinese Windows store GBK names
    without the UTF-8 flag, which Python decodes as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unpack(archive: Path, target: Path, limits: ParseLimits) -> Path:
    """Unpack ``archive`` into ``target`` (names made safe: no absolute or ``..`` parts),
    after :func:`check_archive`, streaming each member and stopping at the unpacked limit."""
    check_archive(archive, limits)
    written = 0
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.infolist():
                if member.is_dir():
                    continue
                parts = [
                    p for p in re.split(r"[\\/]+", _member_name(member)) if p not in ("", ".", "..")
                ]
                if not parts:
                    continue
                out = target.joinpath(*parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(member) as source, out.open("wb") as sink:
                    shutil.copyfileobj(source, sink, 1024 * 1024)
                    written += sink.tell()
                if written > limits.max_unpacked_mb * 2**20:  # more than the directory said
                    raise VectorFileError(
                        "bnd_archive_unpacked",
                        file=archive.name,
                        mb=f"{math.ceil(written / 2**20):,}",
                        limit=f"{limits.max_unpacked_mb:,}",
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise VectorFileError("bnd_bad_archive", file=archive.name, detail=str(error)) from error
    return target


def _sibling(path: Path, suffix: str) -> Path | None:
    """``path`` with ``suffix`` in any letter case (old tools write ``.SHX``, ``.DBF``)."""
    for candidate in path.parent.iterdir():
        if candidate.stem == path.stem and candidate.suffix.lower() == suffix:
            return candidate
    return None


def _layers_of(file: Path, given: Path) -> list[LayerRef]:
    driver = DRIVERS[file.suffix.lower()]
    shown = file.name if given.is_dir() or file == given else f"{given.name} → {file.name}"
    if driver == "ESRI Shapefile":
        missing = [s for s in SHAPEFILE_PARTS if _sibling(file, s) is None]
        if missing:
            raise VectorFileError("bnd_shapefile_parts", file=shown, missing="、".join(missing))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = pyogrio.list_layers(file)
    except _READ_ERRORS as error:
        raise _read_problem(error, file, shown) from error
    return [
        LayerRef(file, driver, str(name), shown if len(found) == 1 else f"{shown}: {name}")
        for name, _kind in found
    ]


def _detail(error: BaseException, path: Path | None = None) -> str:
    """The reader's own words, first sentence only, without the (temporary) folder."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if path is not None:
        text = text.replace(str(path), path.name)
    return text.split(";")[0].strip()[:300]


def _read_problem(error: BaseException, path: Path, shown: str) -> VectorFileError:
    """What GDAL's refusal means: a feature over its 200 MB limit is too large, not damaged;
    running out of memory is a :class:`MemoryError` (the child's limit, not the file's fault)."""
    text = str(error)
    if "too complex/large" in text or "MAX_OBJ_SIZE" in text:
        return VectorFileError("bnd_object_too_large", file=shown)
    if "out of memory" in text.lower():
        raise MemoryError(_detail(error, path)) from error
    return VectorFileError("bnd_unreadable", file=shown, detail=_detail(error, path))


# --- reading one layer -----------------------------------------------------------------------


def read_layer(
    ref: LayerRef,
    crs: str | None = None,
    near_lon: float | None = None,
    max_vertices: int | None = None,
) -> VectorLayer:
    """Read one layer into WGS-84 (EPSG:4326, degrees), its text decoded and its CRS resolved.

    Parameters
    ----------
    ref
        The layer (from :func:`open_layers`).
    crs
        The CRS the coordinates are in, overriding what the file declares: anything pyproj
        reads (``EPSG:4527``, WKT) or ``GCJ-02`` / ``BD-09`` (longitude/latitude).
    near_lon
        Longitude (degrees) of the place the file should cover: the central meridian of a
        Gauss-Kruger file whose eastings carry no zone number and whose CRS is not declared.
    max_vertices
        Refuse a layer of more vertices than this (None: no limit), counted as read.

    Returns
    -------
    VectorLayer
        The features in EPSG:4326 (2-D, (lon, lat)), with the CRS declared and used, how it
        was chosen, the text encoding and notes on what was corrected or inferred. A KML
        layer is WGS-84 by definition.

    Raises
    ------
    VectorFileError
        If the layer cannot be read, or its CRS is unknown and cannot be inferred;
        ``bnd_too_many_vertices`` over ``max_vertices``.
    """
    frame, encoding, notes = _read_frame(ref)
    if max_vertices is not None and (count := _vertices(frame)) > max_vertices:
        raise _too_many_vertices(ref.name, count, max_vertices)
    frame = frame.set_geometry(shapely.force_2d(frame.geometry.to_numpy()), crs=frame.crs)
    bounds = _bounds(frame)
    declared = None if ref.driver == "KML" else frame.crs
    if ref.driver == "KML":  # KML is WGS-84 longitude/latitude by definition (OGC 07-147r2)
        declared = CRS.from_epsg(4326)
    used, how, shift, crs_notes = _resolve_crs(declared, bounds, crs, near_lon)
    notes += crs_notes
    geometry = frame.geometry.to_numpy()
    if shift:
        geometry = shapely.transform(geometry, lambda xy: xy + np.array([shift, 0.0]))
    if isinstance(used, str):  # GCJ-02 / BD-09 longitude/latitude
        convert = datum.gcj02_to_wgs84 if used == datum.GCJ02 else datum.bd09_to_wgs84
        out = gpd.GeoDataFrame(
            frame.drop(columns=frame.geometry.name),
            geometry=datum.transform_geometry(geometry, convert),
            crs=WGS84,
        )
    else:
        out = gpd.GeoDataFrame(
            frame.drop(columns=frame.geometry.name), geometry=geometry, crs=used
        ).to_crs(WGS84)
    return VectorLayer(ref, out, declared, used, how, encoding, tuple(notes))


def _read_frame(ref: LayerRef) -> tuple[gpd.GeoDataFrame, str | None, list[Note]]:
    shapefile = ref.driver == "ESRI Shapefile"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if not shapefile:
                try:
                    return gpd.read_file(ref.path, layer=ref.layer), None, []
                except UnicodeDecodeError:  # e.g. a GeoJSON saved in GBK: decode it here
                    pass
            frame = gpd.read_file(ref.path, layer=ref.layer, encoding="ISO-8859-1")
    except _READ_ERRORS as error:
        raise _read_problem(error, ref.path, ref.name) from error
    declared = _cpg_encoding(ref.path) if shapefile else None
    return _decode(frame, declared, shapefile)


def _cpg_encoding(shp: Path) -> str | None:
    """The Python codec the shapefile's ``.cpg`` names (``UTF-8``, ``GBK``, ``936``...)."""
    cpg = _sibling(shp, ".cpg")
    if cpg is None:
        return None
    text = cpg.read_bytes().decode("ascii", errors="ignore").strip().upper()
    text = text.removeprefix("ANSI").strip()
    if text.isdigit():
        text = "utf-8" if text == "65001" else f"cp{text}"
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def _decode_tolerant(raw: bytes, encoding: str) -> str | None:
    """``raw`` decoded strictly, allowing only a multi-byte character cut off at the end (a
    .dbf field's width counts bytes); None if it is not ``encoding``."""
    for cut in range(4):
        try:
            return raw[: len(raw) - cut].decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decode(
    frame: gpd.GeoDataFrame, declared: str | None, shapefile: bool
) -> tuple[gpd.GeoDataFrame, str, list[Note]]:
    """Re-decode the text of a frame read as ISO-8859-1 (every byte kept) in the encoding
    that fits: the declared one, else strict UTF-8, else GB18030."""
    geometry = frame.geometry.name
    names = [c for c in frame.columns if c != geometry]
    text = [c for c in names if frame[c].map(lambda v: isinstance(v, str)).any()]
    raw_names = [c.encode("latin-1") for c in names]
    raw_values = {
        c: [v.encode("latin-1") if isinstance(v, str) else None for v in frame[c]] for c in text
    }
    everything = raw_names + [v for values in raw_values.values() for v in values if v]
    order = list(dict.fromkeys([declared, *TEXT_ENCODINGS] if declared else TEXT_ENCODINGS))
    chosen = next((e for e in order if all(_fits(v, e, strict=True) for v in everything)), None)
    chosen = chosen or next((e for e in order if all(_fits(v, e) for v in everything)), None)
    notes = []
    if chosen is None:
        chosen = order[-1]
        notes.append(Note("bnd_encoding_unknown", {"encoding": chosen.upper()}))
    elif declared and chosen != declared:
        notes.append(
            Note("bnd_encoding_mismatch", {"declared": declared.upper(), "used": chosen.upper()})
        )
    elif not declared and shapefile and any(max(v, default=0) > 127 for v in everything):
        notes.append(Note("bnd_encoding_detected", {"encoding": chosen.upper()}))
    elif not shapefile and chosen != "utf-8":  # GeoJSON, KML and GeoPackage are UTF-8
        notes.append(Note("bnd_encoding_not_utf8", {"encoding": chosen.upper()}))

    def decode(raw: bytes) -> str:
        return _decode_tolerant(raw, chosen) or raw.decode(chosen, errors="replace")

    out = frame.copy()
    for column in text:
        out[column] = [decode(v) if v is not None else None for v in raw_values[column]]
    renamed, seen = {}, set()
    for column, raw in zip(names, raw_names, strict=True):
        name = decode(raw).strip() or column
        while name in seen:  # two long names cut to the same 10 bytes
            name += "_"
        seen.add(name)
        renamed[column] = name
    return out.rename(columns=renamed), chosen, notes


def _fits(raw: bytes, encoding: str, strict: bool = False) -> bool:
    if strict:
        try:
            raw.decode(encoding)
            return True
        except UnicodeDecodeError:
            return False
    return _decode_tolerant(raw, encoding) is not None


# --- the CRS ---------------------------------------------------------------------------------


def _bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    geometry = frame.geometry.to_numpy()
    geometry = geometry[~(shapely.is_missing(geometry) | shapely.is_empty(geometry))]
    return None if len(geometry) == 0 else tuple(shapely.total_bounds(geometry))


def _geographic_range(bounds) -> bool:
    west, south, east, north = bounds
    return -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def _transverse_mercator(crs: CRS) -> tuple[float, float] | None:
    """(central meridian, false easting) of a Transverse Mercator CRS, else None."""
    operation = crs.coordinate_operation if crs.is_projected else None
    if operation is None or "transverse mercator" not in operation.method_name.lower():
        return None
    params = {p.name.lower(): p.value for p in operation.params}
    meridian = params.get("longitude of natural origin")
    easting = params.get("false easting")
    return None if meridian is None or easting is None else (meridian, easting)


def describe_crs(crs: CRS | str | None, lang: str = "zh") -> str:
    """How a person would name a CRS.

    Parameters
    ----------
    crs
        A pyproj CRS, ``GCJ-02``/``BD-09``, or None (no CRS declared).
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError where a label is used).

    Returns
    -------
    str
        The CGCS2000 family (EPSG:4490, the Gauss-Kruger zones 4491-4554) and WGS-84 in
        words, others by name, each with its EPSG code; ``GCJ-02``/``BD-09`` as they are; the
        label for "not declared" for None.
    """
    if crs is None:
        return t("bnd_crs_none", lang)
    if isinstance(crs, str):
        return crs
    code = crs.to_epsg(min_confidence=70)
    params = _transverse_mercator(crs)
    if code in (4326, 4490):
        return t(f"bnd_crs_{code}", lang)
    if code and params and 4491 <= code <= 4554:
        meridian, easting = params
        three = code >= 4513
        key = "bnd_crs_gk_zone" if easting > 1e6 else "bnd_crs_gk_cm"
        return t(
            key,
            lang,
            width=3 if three else 6,
            zone=int(easting // 1e6),
            cm=f"{meridian:g}",
            code=code,
        )
    return f"{crs.name} (EPSG:{code})" if code else crs.name


def gauss_kruger_crs(meridian: float, zone_in_easting: bool) -> CRS:
    """The CGCS2000 3-degree Gauss-Kruger CRS for a central meridian.

    Parameters
    ----------
    meridian
        The central meridian, degrees east (75-135; rounded to the nearest multiple of 3).
    zone_in_easting
        True for the CRS whose eastings start with the zone number (EPSG:4513-4533), False
        for the one without (EPSG:4534-4554).

    Returns
    -------
    pyproj.CRS
        The CRS (metres).

    Raises
    ------
    ValueError
        If ``meridian`` is outside 75-135 degrees east (the message shows it).
    """
    zone = round(meridian / 3)
    if not 25 <= zone <= 45:
        raise ValueError(f"meridian must be 75-135 degrees east, got {meridian!r}")
    return CRS.from_epsg((4513 if zone_in_easting else 4534) + zone - 25)


def _infer_crs(bounds, near_lon: float | None) -> CRS | None:
    """The CRS the coordinates' magnitudes point to (CGCS2000 assumed), or None."""
    west, south, east, north = bounds
    if _geographic_range(bounds):
        return CRS.from_epsg(4490)
    if not 1e6 <= south <= north < 1e7:  # northings of China in metres
        return None
    if west >= 1e7:  # the zone number leads the easting
        zone = int(west // 1e6)
        if int(east // 1e6) != zone:
            return None
        if 25 <= zone <= 45:  # 3-degree zones
            return CRS.from_epsg(4513 + zone - 25)
        if 13 <= zone <= 23:  # 6-degree zones
            return CRS.from_epsg(4491 + zone - 13)
        return None
    if 0 < west and east < 1e6 and near_lon is not None and 73.5 <= near_lon <= 136.5:
        return gauss_kruger_crs(3 * round(near_lon / 3), zone_in_easting=False)
    return None


def _zone_variant(crs: CRS, zone_in_easting: bool) -> CRS | None:
    """The same CGCS2000 Gauss-Kruger zone with (EPSG:4491-4501, 4513-4533) or without
    (4502-4512, 4534-4554) the zone number in the easting; None outside that family."""
    code = crs.to_epsg(min_confidence=70) or 0
    for with_zone, without in ((4491, 4502), (4513, 4534)):
        span = without - with_zone
        if zone_in_easting and without <= code < without + span:
            return CRS.from_epsg(code - span)
        if not zone_in_easting and with_zone <= code < with_zone + span:
            return CRS.from_epsg(code + span)
    return None


def _fit_zone(crs: CRS, bounds) -> tuple[CRS, float, Note | None]:
    """(CRS, metres to add to the eastings, note) so that the eastings fit the false easting:
    a Gauss-Kruger CRS without the zone number read with eastings that carry it, or the
    reverse. Within the CGCS2000 family the matching EPSG code is used instead of a shift."""
    params = _transverse_mercator(crs)
    if params is None:
        return crs, 0.0, None
    meridian, false_easting = params
    west, _south, east, _north = bounds
    zone = int(west // 1e6)
    if false_easting == 500_000 and west >= 1e7 and int(east // 1e6) == zone:
        if zone * 3 == meridian or zone * 6 - 3 == meridian:
            variant = _zone_variant(crs, zone_in_easting=True)
            values = {"declared": crs, "zone": zone, "used": variant or crs}
            return variant or crs, 0.0 if variant else -zone * 1e6, Note("bnd_zone_removed", values)
    if false_easting > 1e6 and 0 < west and east < 1e6:
        variant = _zone_variant(crs, zone_in_easting=False)
        values = {"declared": crs, "zone": int(false_easting // 1e6), "used": variant or crs}
        shift = 0.0 if variant else false_easting - 500_000
        return variant or crs, shift, Note("bnd_zone_added", values)
    return crs, 0.0, None


def _given_crs(crs: str) -> CRS | str:
    with contextlib.suppress(ValueError):
        named = datum.normalise_datum(crs)
        if named in (datum.GCJ02, datum.BD09):
            return named
    try:
        return CRS.from_user_input(crs)
    except CRSError as error:
        raise VectorFileError("bnd_bad_crs", crs=crs) from error


def _resolve_crs(
    declared: CRS | None, bounds, given: str | None, near_lon: float | None
) -> tuple[CRS | str, str, float, list[Note]]:
    """(CRS to read the coordinates in, how it was chosen, easting shift, notes)."""
    if bounds is None:  # nothing to place: the caller reports the empty layer
        return declared or CRS.from_epsg(4326), "declared", 0.0, []
    if given:
        crs = _given_crs(given)
        if isinstance(crs, str):
            return crs, "given", 0.0, []
        crs, shift, note = _fit_zone(crs, bounds)
        return crs, "given", shift, [note] if note else []
    if declared is not None:
        fits = _geographic_range(bounds) == bool(declared.is_geographic)
        if fits:
            crs, shift, note = _fit_zone(declared, bounds)
            return crs, "corrected" if note else "declared", shift, [note] if note else []
    inferred = _infer_crs(bounds, near_lon)
    shown = ", ".join(f"{v:.6g}" for v in bounds)
    if inferred is None:
        raise VectorFileError(
            "bnd_crs_unknown" if declared is None else "bnd_crs_contradicted",
            declared=declared,
            bounds=shown,
        )
    key = "bnd_crs_inferred" if declared is None else "bnd_crs_contradicted_inferred"
    note = Note(key, {"declared": declared, "used": inferred})
    return inferred, "inferred", 0.0, [note]
