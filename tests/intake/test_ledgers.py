"""Ledgers as offices keep them going in (geo.intake.ledger): title rows, merged cells, the offices'
own header wording, 合计 rows, DMS, AMap/Baidu coordinates, legacy .xls, GBK CSV, a sheet per
subdistrict, a 村/居 ledger, addresses through a geocoding stand-in on 127.0.0.1, a mapping
given once and remembered. Every file is written by the tests (tests/intake/ledgers.py)."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import Workbook

from geo.data import datum
from geo.intake.coords import parse_coordinate
from geo.intake.geocode import Geocoder
from geo.intake.headers import SYNONYMS, Layout, find_layout, match_header, normalise_header
from geo.intake.ledger import IGNORE, Lookups, import_file, parse_mapping, plan_file
from geo.load import load_dataset
from tests.intake import ledgers

#: How close an imported position must be to the truth after datum conversion, in metres.
TOLERANCE_M = 3.0


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups.load()


def snapshot(store) -> dict:
    return {e: store.read(e).to_dict("records") for e in ("sites", "units", "mappings")} | {
        "version": store.data_version()
    }


def assert_found(store, ledger: ledgers.Ledger) -> None:
    sites = store.read_sites().set_index("name")
    for expected in ledger.records:
        assert expected.name in sites.index, expected.name
        row = sites.loc[expected.name]
        assert row["subdistrict_code"] == expected.subdistrict, expected.name
        assert row["unit_code"] == expected.unit, expected.name
        assert row["location_precision"] == expected.precision, expected.name
        if expected.programs:
            assert row["programs"] == expected.programs, expected.name
        off = metres(row["lon"], row["lat"], expected.lon, expected.lat)
        assert off < TOLERANCE_M, f"{expected.name}: {off:.2f} m from the true position"


# --- every variant goes in ----------------------------------------------------------------


@pytest.mark.parametrize("variant", sorted(ledgers.ALL))
def test_a_ledger_as_offices_keep_it_imports_with_true_positions(variant, tmp_path, store, lookups):
    ledger = ledgers.ALL[variant](tmp_path)
    before = snapshot(store)
    dry = import_file(ledger.path, store, "office", dry_run=True, lookups=lookups)
    assert dry.ok, [i.describe() for i in dry.issues]
    assert snapshot(store) == before, "a dry run writes nothing"
    assert sum(dry.added.values()) == len(ledger.records) and not dry.applied
    # the report says where the header is and what was skipped
    sheets = dry.plan.sheets
    assert {s.header_row for s in sheets} == {ledger.header_row}
    assert all([n for n, _ in s.above] == ledger.above for s in sheets)
    assert sorted(n for s in sheets for n in s.totals) == sorted(ledger.totals)
    totals = [(i.file, i.row) for i in dry.issues if i.key == "total_row"]
    assert len(totals) == len(ledger.totals) and all(i.severity == "warning" for i in dry.issues)
    ignored = {i.column for i in dry.issues if i.key in ("serial_column", "unknown_column")}
    assert ignored == set(ledger.ignored)

    done = import_file(ledger.path, store, "office", lookups=lookups)
    assert done.ok and done.applied
    assert_found(store, ledger)
    audit = store.audit_log(len(ledger.records))
    assert set(audit["user"]) == {"office"} and set(audit["action"]) == {"import"}
    # the same ledger again changes nothing
    again = import_file(ledger.path, store, "office", lookups=lookups)
    assert again.ok and not again.changes and sum(again.unchanged.values()) == len(ledger.records)


def test_one_sheet_per_subdistrict_is_merged_and_each_sheet_names_its_rows(
    tmp_path, store, lookups
):
    ledger = ledgers.workbook_per_subdistrict(tmp_path)
    result = import_file(ledger.path, store, "office", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    assert [s.table.name for s in result.plan.sheets] == ["杆石桥街道", "陡沟街道", "四里村街道"]
    assert [s.subdistrict for s in result.plan.sheets] == ["370103003", "370103022", "370103004"]
    assert result.added == {"sites": 6}


def test_the_cli_prints_the_mapping_and_imports_a_ledger(tmp_path, run_geo):
    ledger = ledgers.dangjia_xlsx(tmp_path)
    result = run_geo("import", ledger.path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "工作表「党家街道」：站点，表头在第 3 行" in out
    assert "跳过表头上方第 1–2 行：市中区党建引领基层治理阵地台账（2024年）" in out
    for line in (
        "阵地名称 → 名称",
        "所属村（社区） → 村/社区",
        "坐标来源 → 坐标系",
        "序号 → （忽略）",
    ):
        assert f"  {line}\n" in out
    assert "数据 4 行；跳过合计行 1 行；跳过空行 1 行" in out
    assert "第9行“合计”：合计/小计行，已跳过（提示）" in out
    assert out.strip().splitlines()[-1] == "已新增 4 条，已修改 0 条，未变 0 条"


# --- villages and communities placed, and their sites with them ----------------------------


def test_a_village_ledger_places_units_and_moves_their_seat_only_sites(tmp_path, store, lookups):
    units = ledgers.units_ledger(tmp_path)
    first = units.records[0]
    # a site known only to its village: stored at its subdistrict's seat
    book = Workbook()
    book.active.append(["名称", "类型", "村/社区", "项目"])
    book.active.append(
        [
            "陡沟示范驿站",
            "暖心驿站",
            ledgers.UNITS.set_index("code").loc[first.unit, "short_name"],
            "新就业群体党建",
        ]
    )
    book.save(tmp_path / "site.xlsx")
    assert import_file(tmp_path / "site.xlsx", store, "office", lookups=lookups).applied
    seat_only = load_dataset(store).sites.set_index("name").loc["陡沟示范驿站"]
    assert seat_only["placement"] == "seat" and seat_only["location_precision"] == "subdistrict"

    result = import_file(units.path, store, "office", lookups=lookups)
    assert result.ok and result.added == {"units": 4}, [i.describe() for i in result.issues]
    placed = store.read("units").set_index("id")
    for expected in units.records:
        row = placed.loc[expected.unit]
        assert metres(row["lon"], row["lat"], expected.lon, expected.lat) < TOLERANCE_M
        assert row["location_precision"] == "exact"
        assert row["source"] == "import:陡沟村居位置.xlsx"
    moved = load_dataset(store).sites.set_index("name").loc["陡沟示范驿站"]
    assert moved["placement"] == "unit" and moved["location_precision"] == "unit"
    assert metres(moved["lon"], moved["lat"], first.lon, first.lat) < TOLERANCE_M


# --- addresses: a geocoding stand-in on 127.0.0.1 ----------------------------------------


class _StandIn:
    """Tianditu's geocoder as documented (``ds={"keyWord": ...}&tk=...``), on loopback."""

    def __init__(self, answers: dict[str, tuple[float, float, str]], status: int = 200):
        self.answers, self.status, self.asked = answers, status, []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                query = parse_qs(urlparse(self.path).query)
                keyword = json.loads(query["ds"][0])["keyWord"]
                stand_in.asked.append((keyword, query["tk"][0], threading.get_ident()))
                if stand_in.status != 200:
                    self.send_error(stand_in.status)
                    return
                if keyword in stand_in.answers:
                    lon, lat, level = stand_in.answers[keyword]
                    body = {
                        "msg": "ok",
                        "location": {
                            "score": 100,
                            "level": level,
                            "lon": str(lon),
                            "lat": str(lat),
                            "keyWord": keyword,
                        },
                        "searchVersion": "6.4.9V",
                        "status": "0",
                    }
                else:
                    body = {"msg": "无结果", "searchVersion": "6.4.9V", "status": "101"}
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/geocoder"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_addresses_are_geocoded_once_with_the_match_level_as_precision(tmp_path, store, lookups):
    ledger, answers = ledgers.address_ledger(tmp_path)
    asked = []
    with _StandIn(answers) as service:
        geocoder = Geocoder(url=service.url, token="0123456789abcdef0123456789abcdef")
        result = import_file(
            ledger.path,
            store,
            "office",
            lookups=lookups,
            geocoder=geocoder,
            geocode_progress=lambda done, total: asked.append((done, total)),
        )
        assert result.ok and result.applied, [i.describe() for i in result.issues]
        assert asked == [(1, 3), (2, 3), (3, 3)]
        assert len(service.asked) == 3 and {a[1] for a in service.asked} == {geocoder.token}
        assert_found(store, ledger)
        # cached in the store: the same addresses are not asked again, by any instance
        again = import_file(ledger.path, store, "office", lookups=lookups, geocoder=geocoder)
        assert again.ok and not again.changes
        assert len(service.asked) == 3


def test_the_geocoder_keeps_its_rate(store):
    answers = {f"济南市市中区测试路{i}号": (117.0, 36.6, "门址") for i in range(4)}
    moments = []
    with _StandIn(answers) as service:
        geocoder = Geocoder(url=service.url, token="t" * 32, rate_per_s=20.0)
        from geo.intake.geocode import geocode_all

        found, problems = geocode_all(
            answers, geocoder, store, sleep=lambda s: moments.append(("sleep", s))
        )
    assert problems == [] and set(found) == set(answers)
    # three waits between four requests, none longer than the spacing of 1/20 s
    waits = [s for what, s in moments if what == "sleep"]
    assert len(waits) <= 3 and all(0 < s <= 0.05 + 1e-9 for s in waits)
    assert found["济南市市中区测试路0号"]["location_precision"] == "exact"


@pytest.mark.parametrize("service", ["offline", "down", "unknown"])
def test_without_an_answer_addresses_fall_back_to_the_seat_and_say_so(
    tmp_path, store, lookups, service
):
    ledger, answers = ledgers.address_ledger(tmp_path)
    seat = lookups.seats["370103018"]
    if service == "offline":
        result = import_file(ledger.path, store, "office", lookups=lookups)
        notice = "address_offline"
    else:
        with _StandIn(
            {} if service == "unknown" else answers, status=500 if service == "down" else 200
        ) as stand_in:
            geocoder = Geocoder(url=stand_in.url, token="t" * 32)
            result = import_file(ledger.path, store, "office", lookups=lookups, geocoder=geocoder)
        notice = "geocoder_failed" if service == "down" else "address_not_found"
    assert result.ok and result.applied, [i.describe() for i in result.issues]
    assert notice in {i.key for i in result.issues}
    assert all(i.severity == "warning" for i in result.issues)
    sites = store.read_sites().set_index("name")
    for expected in ledger.records:
        row = sites.loc[expected.name]
        assert (row["lon"], row["lat"]) == seat and row["location_precision"] == "subdistrict"
    if service == "down":
        assert store.cached_geocodes(answers) == {}, "a failed request is not cached"


# --- a mapping given once, remembered ------------------------------------------------------


def _odd_ledger(path: Path, name: str = "一号站") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "杆石桥街道"
    ws.append(["阵地全称", "性质", "经度", "纬度", "坐标系"])
    lon, lat = ledgers.points_in("杆石桥街道", 1, seed=2)[0]
    ws.append([name, "暖心驿站", lon, lat, "WGS-84"])
    book.save(path)
    return path


def test_a_mapping_given_once_is_remembered_for_the_next_ledger(tmp_path, store, lookups):
    first = _odd_ledger(tmp_path / "a.xlsx")
    before = snapshot(store)
    refused = import_file(first, store, "office", lookups=lookups)
    assert not refused.ok
    assert ("杆石桥街道", 1, "名称", "missing_column") in {
        (i.file, i.row, i.column, i.key) for i in refused.errors
    }
    assert snapshot(store) == before
    mapping = parse_mapping(["阵地全称=name", "性质=kind"])
    program = {"programs": "新就业群体党建"}  # the office's ledger is of one program
    done = import_file(first, store, "office", lookups=lookups, mapping=mapping, defaults=program)
    assert done.ok and done.applied, [i.describe() for i in done.issues]
    remembered = store.read("mappings")
    assert len(remembered) == 1
    stored = json.loads(remembered["mapping"].iloc[0])
    assert stored["columns"]["阵地全称"] == "name" and stored["defaults"] == program
    # the same office's next ledger: no mapping given, read the remembered way
    second = _odd_ledger(tmp_path / "b.xlsx", name="二号站")
    later = import_file(second, store, "office", lookups=lookups)
    assert later.ok and later.plan.sheets[0].remembered
    assert later.added == {"sites": 1}
    sites = store.read_sites().set_index("name")
    assert sites.loc["二号站", "programs"] == "new_employment"


def test_the_cli_accepts_a_mapping_and_reports_a_bad_one(tmp_path, run_geo):
    path = _odd_ledger(tmp_path / "odd.xlsx")
    bad = run_geo("import", path, "--map", "阵地全称")
    assert bad.returncode == 1 and "--map 参数无效" in bad.stderr
    unknown = run_geo("import", path, "--map", "阵地全称=castle")
    assert unknown.returncode == 1 and "列的对应关系无效" in unknown.stderr
    assert "Traceback" not in bad.stderr + unknown.stderr
    missing = run_geo("import", path, "--map", "阵地全称=name", "--map", "性质=kind")
    assert missing.returncode == 1 and "「项目」：缺少此列" in missing.stderr
    program = ("--program", "新就业群体党建")
    done = run_geo("import", path, "--map", "阵地全称=name", "--map", "性质=kind", *program)
    assert done.returncode == 0, done.stderr
    assert "阵地全称 → 名称" in done.stdout and "已新增 1 条" in done.stdout


def test_coordinates_without_a_datum_need_one_given_for_the_file(tmp_path, store, lookups):
    lon, lat = ledgers.points_in("泺源街道", 1, seed=8)[0]
    gcj = ledgers.to_gcj02(lon, lat)
    book = Workbook()
    book.active.append(["名称", "类型", "街道", "项目", "经度", "纬度"])
    book.active.append(["无坐标系的点", "示范点", "泺源街道", "两新组织党建示范点", *gcj])
    book.save(tmp_path / "f.xlsx")
    refused = import_file(tmp_path / "f.xlsx", store, "office", lookups=lookups)
    assert [i.key for i in refused.errors] == ["datum_required"]
    done = import_file(
        tmp_path / "f.xlsx", store, "office", lookups=lookups, defaults={"datum": datum.GCJ02}
    )
    assert done.applied
    row = store.read_sites().set_index("name").loc["无坐标系的点"]
    assert metres(row["lon"], row["lat"], lon, lat) < TOLERANCE_M


# --- bad files: a clear message, nothing written, never a traceback ---------------------------


def _nul_csv(path: Path) -> Path:
    path.write_bytes("名称,类型\n某点\x00,村\n".encode())
    return path


def _truncated_xlsx(path: Path) -> Path:
    book = Workbook()
    book.active.append(["名称"])
    book.save(path)
    path.write_bytes(path.read_bytes()[:300])
    return path


def _text_as_xls(path: Path) -> Path:
    path.write_bytes("名称\t类型\n某点\t村\n".encode("gbk"))
    return path


def _no_header(path: Path) -> Path:
    book = Workbook()
    for row in range(5):
        book.active.append([row, row * 2, row * 3])
    book.save(path)
    return path


def _binary_csv(path: Path) -> Path:
    path.write_bytes(bytes(range(128, 256)) * 4)
    return path


def _header_only(path: Path) -> Path:
    book = Workbook()
    book.active.append(["市中区阵地台账"])
    book.active.append(["序号", "阵地名称", "阵地类型"])
    book.active.append(["合计", "", ""])
    book.save(path)
    return path


def _outside(path: Path) -> Path:
    book = Workbook()
    book.active.append(["名称", "类型", "街道", "项目", "经度", "纬度", "坐标系"])
    book.active.append(["北京的点", "示范点", "泺源街道", "党群服务中心", 116.397, 39.908, "GPS"])
    book.save(path)
    return path


BAD_FILES = {
    "nul.csv": (_nul_csv, "unreadable_file"),
    "binary.csv": (_binary_csv, "unreadable_file"),
    "truncated.xlsx": (_truncated_xlsx, "unreadable_file"),
    "text.xls": (_text_as_xls, "unreadable_file"),
    "noheader.xlsx": (_no_header, "empty_file"),
    "headeronly.xlsx": (_header_only, "empty_file"),
    "outside.xlsx": (_outside, "outside_district"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_a_clear_message_and_writes_nothing(name, tmp_path, store, lookups):
    build, key = BAD_FILES[name]
    path = build(tmp_path / name)
    before = snapshot(store)
    result = import_file(path, store, "office", lookups=lookups)
    assert not result.ok and not result.applied
    assert key in {i.key for i in result.errors}, [i.describe() for i in result.issues]
    assert snapshot(store) == before


@pytest.mark.parametrize("name", ["nul.csv", "truncated.xlsx", "text.xls"])
def test_a_bad_file_on_the_command_line_exits_1_without_a_traceback(name, tmp_path, run_geo):
    build, _ = BAD_FILES[name]
    result = run_geo("import", build(tmp_path / name))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    assert "文件无法读取" in result.stderr and "未写入任何数据" in result.stderr


# --- the vocabularies of ledgers --------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        *[(h, "name") for h in ("名称", "阵地名称", "点位名称", "站点名称")],
        *[(h, "kind") for h in ("类型", "阵地类型", "类别")],
        *[(h, "subdistrict") for h in ("街道", "所属街道", "街道办事处")],
        *[(h, "unit") for h in ("村/社区", "所属村（社区）", "村居")],
        *[(h, "programs") for h in ("项目", "项目类别", "工作类别")],
        *[(h, "year") for h in ("年份", "年度", "建成年份")],
        *[(h, "lon") for h in ("经度", "东经", "lng", "X")],
        *[(h, "lat") for h in ("纬度", "北纬", "lat", "Y")],
        *[(h, "datum") for h in ("坐标系", "坐标来源")],
        *[(h, "address") for h in ("地址", "详细地址")],
        ("备注", "description"),
        ("序号", IGNORE),
        ("联系电话", IGNORE),
        (" 阵地\n名称 ", "name"),
        ("*阵地名称：", "name"),
    ],
)
def test_the_synonym_table_maps_the_usual_wordings(header, field):
    assert match_header(header, "sites").field == field


@pytest.mark.parametrize(
    ("header", "named"),
    [("经度（高德）", datum.GCJ02), ("经度(百度)", datum.BD09), ("纬度【天地图】", datum.WGS84)],
)
def test_a_header_may_name_its_datum(header, named):
    assert match_header(header, "sites").datum == named


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("高德地图拾取", datum.GCJ02),
        ("百度地图拾取", datum.BD09),
        ("天地图", datum.WGS84),
        ("GPS", datum.WGS84),
        ("奥维", datum.WGS84),
        ("CGCS2000", datum.WGS84),
    ],
)
def test_where_the_coordinates_were_picked_names_their_datum(value, named):
    assert datum.normalise_datum(value) == named


@pytest.mark.parametrize(
    ("text", "degrees"),
    [
        ("116°58′30.5″E", 116 + 58 / 60 + 30.5 / 3600),
        ("116度58分30.5秒", 116 + 58 / 60 + 30.5 / 3600),
        ("36°39'12\"N", 36 + 39 / 60 + 12 / 3600),
        ("东经116°58′30.5″", 116 + 58 / 60 + 30.5 / 3600),
        ("北纬36度39分12秒", 36 + 39 / 60 + 12 / 3600),
        ("N36°39.2′", 36 + 39.2 / 60),
        ("116° 58′ 30.5″", 116 + 58 / 60 + 30.5 / 3600),
        ("W10°30'", -10.5),
    ],
)
def test_degrees_minutes_seconds_in_every_common_writing(text, degrees):
    assert parse_coordinate(text) == pytest.approx(degrees, abs=1e-9)


@pytest.mark.parametrize("text", ["116°61′", "abc", "116 58 30", "", "东经"])
def test_what_is_not_a_coordinate(text):
    assert parse_coordinate(text) is None


def test_every_synonym_is_a_field_the_kind_of_table_has():
    from geo.intake.headers import FIELDS

    for entity, words in SYNONYMS.items():
        assert set(words.values()) <= set(FIELDS[entity])
        assert all(word == normalise_header(word) for word in words)


def test_a_plan_needs_no_store(tmp_path, lookups):
    ledger = ledgers.gbk_csv(tmp_path)
    plan = plan_file(ledger.path, lookups)
    assert plan.ok and [len(s.rows) for s in plan.sheets] == [3]


@pytest.mark.parametrize(
    "call",
    [
        lambda: match_header("名称", "site"),
        lambda: find_layout([["名称", "项目"]], "figures"),
        lambda: Layout("figures", (0,), []).remap({"名称": "name"}),
    ],
    ids=["match_header", "find_layout", "remap"],
)
def test_an_unknown_kind_of_table_is_a_clear_error(call):
    with pytest.raises(ValueError, match="entity must be one of sites, metrics, alliances, units"):
        call()
