"""The source article's facts, held here so that an edit of data/ that drops or changes one fails.

The article: 《执党建引领之笔，绘基层治理蓝图》, 济南报道, 2024 (OCR in
../shared/seed/shizhong-article.txt; the cleaned reading is ../shared/domain.md). Every fact names
the file and record that hold it and the section of the article it cites; ``quote`` is the
article's own wording, for the reader of this file. Then one test per statement the audit of
issue 15 found wrong, so it cannot come back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import shapely

from geo.config import DATA_DIR, AreasSource
from geo.data import io
from geo.data.citations import cite
from geo.intake.boundaries import load_configured_areas
from geo.map import leaflet as maps

A = "article-2024"
S1, S2, S3, CAPTION = "聚力攻坚", "融合共治", "聚能创新", "图片说明"
DISTRICT, DANGJIA, DOUGOU = "370103", "370103021", "370103022"


def _source(section: str | None) -> str:
    return A if section is None else f"{A}#{section}"


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return {
        "sites.csv": io.load_sites(),
        "metrics.csv": io.load_metrics(),
        "alliances.csv": io.load_alliances(),
        "programs.csv": io.load_programs(),
        "events.csv": io.load_events(),
        "details.csv": io.load_details(),
        "five_models.csv": io.load_five_models(),
        "sources.csv": io.load_sources(),
    }


# --- the figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    id: str
    value: float
    unit: str
    qualifier: str
    scope_type: str
    scope_code: str
    program: str
    period: str  # "to_date": 截至2024 (since a start, or a state); "year": that year's value
    section: str
    quote: str


FIGURES = [
    Figure("m-fs-projects", 23, "个", "exact", "district", DISTRICT, "first_secretary",
           "to_date", S1, "派驻以来，新引进发展项目23个"),
    Figure("m-fs-income", 40000, "元", "exact", "district", DISTRICT, "first_secretary",
           "to_date", S1, "平均增加村集体经济收入4万元"),
    Figure("m-fs-promoted", 5, "人", "exact", "district", DISTRICT, "first_secretary",
           "to_date", S1, "提拔重用5人"),
    Figure("m-yufu-villages", 5, "个", "exact", "alliance", "al-yufuquanyuan", "cross_village",
           "to_date", S1, "西东、土屋、相家、寨而头、宅科5个村"),
    Figure("m-yufu-demo-share", 50, "%", "at_least", "alliance", "al-yufuquanyuan",
           "cross_village", "to_date", S1, "示范村占比一半以上"),
    Figure("m-yufu-leader-age", 45, "岁", "at_most", "alliance", "al-yufuquanyuan",
           "cross_village", "to_date", S1, "班子平均年龄45岁下（以下）"),
    Figure("m-five-models", 5, "种", "exact", "district", DISTRICT, "five_models",
           "to_date", S1, "“五种模式”"),
    Figure("m-dougou-500k", 70, "%", "exact", "subdistrict", DOUGOU, "consortium",
           "to_date", S1, "集体经济收入50万元以上村占比70%"),
    Figure("m-dougou-1m", 43, "%", "exact", "subdistrict", DOUGOU, "consortium",
           "to_date", S1, "百万以上村占比43%"),
    Figure("m-chunyuanli-problems", 1053, "件", "exact", "unit", "370103003001",
           "red_property", "to_date", S2, "自“管家式”服务运行以来……有效解决1053件"),
    Figure("m-property-party", 100, "%", "exact", "district", DISTRICT, "red_property",
           "to_date", S2, "物业企业党组织覆盖率100%"),
    Figure("m-riders-grid", 100, "人", "at_least", "district", DISTRICT, "new_employment",
           "to_date", S2, "聘任百余名“黄骑士”“蓝骑士”担任兼职网格员"),
    Figure("m-mengxiangjia-area", 700, "m²", "at_least", "site", "svc-mengxiangjia",
           "service_center", "to_date", S2, "占地700余平方米"),
    Figure("m-two-new-demo", 36, "个", "exact", "district", DISTRICT, "two_new_demo",
           "to_date", S2, "先后推出……36个省、市、区级两新组织党建工作示范点"),
    Figure("m-secondment", 8, "人", "exact", "district", DISTRICT, "cadre_exchange",
           "year", S3, "组织8名城市社区党组织书记、专职副书记参加2024年度第一批区内挂职交流"),
    Figure("m-brands", 21, "个", "exact", "district", DISTRICT, "community_brand",
           "to_date", S3, "近年来……新涌现……21个社区党建品牌"),
]  # fmt: skip


def test_the_article_has_exactly_these_figures(data):
    assert set(data["metrics.csv"]["id"]) == {f.id for f in FIGURES}


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.id)
def test_figure(data, figure):
    row = data["metrics.csv"].set_index("id").loc[figure.id]
    assert row["value"] == figure.value
    assert (row["unit"], row["qualifier"]) == (figure.unit, figure.qualifier)
    assert (row["scope_type"], row["scope_code"]) == (figure.scope_type, figure.scope_code)
    assert row["program"] == figure.program
    assert (row["year"], row["period"]) == (2024, figure.period)
    assert row["source"] == _source(figure.section)


# --- the named items -------------------------------------------------------------------------

#: (file, record key, field, what the field contains, section cited; None = the whole article)
NAMED = [
    # places (sites): the five 玉符泉源 villages, the 红盟兴业 industries and their villages
    ("sites.csv", "v-370103021209", "name", "西渴马东村", S1),
    ("sites.csv", "v-370103021209", "description", "“西东”", S1),
    ("sites.csv", "v-370103021210", "name", "土屋村", S1),
    ("sites.csv", "v-370103021211", "name", "相家庄村", S1),
    ("sites.csv", "v-370103021211", "description", "“相家”", S1),
    ("sites.csv", "v-370103021213", "name", "寨而头村", S1),
    ("sites.csv", "v-370103021212", "name", "宅科村", S1),
    ("sites.csv", "v-370103022209", "name", "大庙屯村", S1),
    ("sites.csv", "v-370103022214", "name", "新平村", S1),
    ("sites.csv", "v-370103022219", "name", "小庄村", S1),
    ("sites.csv", "ind-damiaotun-tomato", "name", "大庙屯普罗旺斯西红柿", S1),
    ("sites.csv", "ind-damiaotun-tomato", "description", "进入采摘季", S1),
    ("sites.csv", "ind-xinping-greenhouse", "name", "新平果蔬大棚", S1),
    # 融合共治
    # 春元里: 红色物业 from 融合共治, its brand tier from 聚能创新 (issue 24): it cites both
    ("sites.csv", "c-370103003001", "name", "春元里社区", f"{S2}、{S3}"),
    ("sites.csv", "c-370103003001", "description", "红色物业 金牌管家", f"{S2}、{S3}"),
    ("sites.csv", "c-370103003001", "description", "“跟进”梯队", f"{S2}、{S3}"),
    ("sites.csv", "svc-mengxiangjia", "name", "“梦享家”党群服务中心", S2),
    ("sites.csv", "svc-mengxiangjia", "description", "山东数字产业大厦6楼", S2),
    ("sites.csv", "svc-mengxiangjia", "description", "700余平方米", S2),
    ("sites.csv", "svc-mengxiangjia", "description", "2022年入选全国“2021年度百个两新", S2),
    ("sites.csv", "stn-hongxinbu", "name", "“红·新·埠”暖心驿站", S2),
    ("sites.csv", "stn-hongxinbu", "description", "魏家庄街道某社区", S2),
    ("sites.csv", "stn-hongxinbu", "description", "空调、电视、常备药品和充电设备", S2),
    ("sites.csv", "demo-sddi", "name", "山东数字产业大厦", S2),
    ("sites.csv", "demo-chaoyixing", "name", "济南超意兴餐饮有限公司", S2),
    # 聚能创新: the brand tiers
    ("sites.csv", "c-370103003004", "description", "“引领”梯队", S3),
    ("sites.csv", "c-370103016005", "description", "“引领”梯队", S3),
    ("sites.csv", "c-370103002003", "description", "“先行”梯队", S3),
    ("sites.csv", "c-370103008009", "description", "“先行”梯队", S3),
    ("sites.csv", "c-370103004004", "description", "“跟进”梯队", S3),
    # alliances
    ("alliances.csv", "al-yufuquanyuan", "name", "玉符泉源联合党委", S1),
    ("alliances.csv", "al-yufuquanyuan", "description", "首个“跨村联建”示范点", S1),
    ("alliances.csv", "al-yufuquanyuan", "description", "玉符河畔", S1),
    ("alliances.csv", "al-hongmengxingye", "name", "“红盟兴业”党建联合体", S1),
    ("alliances.csv", "al-hongmengxingye", "description", "强村+弱村、大村+小村", S1),
    ("alliances.csv", "al-hongmengxingye", "description", "组团对接优质项目", S1),
    # programs
    ("programs.csv", "first_secretary", "description_zh", "每两周开展一次业务技能集中培训", S1),
    ("programs.csv", "first_secretary", "description_zh", "分片成立第一书记服务联盟", S1),
    ("programs.csv", "enterprise_link", "description_zh", "各方力量助村", S1),
    ("programs.csv", "cross_village", "description_zh", "玉符泉源联合党委", S1),
    ("programs.csv", "consortium", "description_zh", "“红盟兴业”", S1),
    ("programs.csv", "five_models", "description_zh", "资产经营型", S1),
    ("programs.csv", "one_village_one_product", "description_zh", "“一村一品”串珠成链", S1),
    ("programs.csv", "red_property", "description_zh", "一核三驱多元融合", S2),
    ("programs.csv", "new_employment", "description_zh", "“黄骑士”“蓝骑士”", S2),
    ("programs.csv", "new_employment", "description_zh", "多处暖心驿站", S2),
    ("programs.csv", "two_new_demo", "description_zh", "“红色引擎”", S2),
    ("programs.csv", "two_new_demo", "description_zh", "“一企一策”“一社一策”", S2),
    ("programs.csv", "service_center", "description_zh", "“梦享家”", S2),
    ("programs.csv", "community_brand", "description_zh", "引领、先行、跟进", S3),
    ("programs.csv", "cadre_exchange", "description_zh", "“经纬雁阵”", S3),
    # the five collective-economy models
    ("five_models.csv", "asset_operation", "name_zh", "资产经营型", S1),
    ("five_models.csv", "land_operation", "name_zh", "土地运营型", S1),
    ("five_models.csv", "industry_driven", "name_zh", "产业带动型", S1),
    ("five_models.csv", "property_leasing", "name_zh", "物业租赁型", S1),
    ("five_models.csv", "service_income", "name_zh", "服务创收型", S1),
    # dated items
    ("events.csv", "e-mengxiangjia-case", "title_zh", "2021年度百个两新党建优秀案例", S2),
    ("events.csv", "e-roadshow", "title_zh", "准备开展项目路演大赛", S1),
    ("events.csv", "e-governance-meeting", "title_zh", "党建引领基层治理工作推进会议", S3),
    ("events.csv", "e-secondment-plan", "title_zh",
     "《关于开展2024年度城市社区党组织书记及专职副书记区内挂职交流的工作方案》", S3),
    ("events.csv", "e-secondment-2024", "title_zh", "8名城市社区党组织书记、专职副书记", S3),
    ("events.csv", "e-tomato-season", "title_zh", "大庙屯村普罗旺斯西红柿进入采摘季", CAPTION),
    # named items that are neither places, figures nor dated
    ("details.csv", "d-three-grasps", "name_zh", "抓基层、强基础，抓班子、强队伍，抓创新", None),
    ("details.csv", "d-fs-training-chain", "detail_zh", "常态培训、跟踪培养、抱团发展", S1),
    ("details.csv", "d-fs-forum", "name_zh", "赋能思享论坛", CAPTION),
    ("details.csv", "d-roadshow-context", "detail_zh", "深化学习运用“千万工程”经验", S1),
    ("details.csv", "d-roadshow-context", "detail_zh", "“万人下乡、千村提升”工程阶段性进展", S1),
    ("details.csv", "d-roadshow-aim", "detail_zh", "观摩比学、晾晒成效", S1),
    ("details.csv", "d-village-cadre-oversight", "name_zh", "村干部监管", S1),
    ("details.csv", "d-golden-butler", "detail_zh", "“总管家……网格管家”四级架构", S2),
    ("details.csv", "d-property-principle", "detail_zh", "符合条件应建尽建、创造条件灵活组建", S2),
    ("details.csv", "d-brand-jianxin", "name_zh", "建心家园", S3),
    ("details.csv", "d-brand-tongxin", "name_zh", "同心春元", S3),
    ("details.csv", "d-brand-shangbu", "name_zh", "商埠客厅·睦邻党建", S3),
    ("details.csv", "d-yijieyipin", "detail_zh", "网格治理、物业建设、协商议事", S3),
    ("details.csv", "d-two-teams", "detail_zh", "基层带头人和社区工作者两支队伍", S3),
    ("details.csv", "d-jingwei-yanzhen", "detail_zh", "建制度、搭平台、抓考评", S3),
    ("details.csv", "d-mentoring", "detail_zh", "导师帮带工作清单", S3),
    ("details.csv", "d-mentoring", "detail_zh", "“一对一”帮带", S3),
    ("details.csv", "d-merit-selection", "detail_zh", "“人岗相适”", S3),
    ("details.csv", "d-merit-selection", "detail_zh", "择优选配", S3),
    ("details.csv", "d-laoshangbu", "name_zh", "老商埠", S3),
    ("details.csv", "d-yufuhe", "name_zh", "玉符河", S1),
    ("details.csv", "d-ocr-shi3suixia", "name_zh", "实3岁下", S1),
    ("details.csv", "d-ocr-yiyuetiao", "name_zh", "一月挑", S1),
    ("details.csv", "d-ocr-xiaozhuang", "name_zh", "小庄采", S1),
]  # fmt: skip

KEYS = {"programs.csv": "key", "five_models.csv": "key"}


@pytest.mark.parametrize(
    "file, key, field, text, section",
    NAMED,
    ids=[f"{f}:{k}:{t[:10]}" for f, k, _, t, _ in NAMED],
)
def test_named_item(data, file, key, field, text, section):
    frame = data[file].set_index(KEYS.get(file, "id"))
    assert key in frame.index, f"{file} lost {key}"
    assert text in frame.at[key, field], f"{file} {key} {field}: {frame.at[key, field]!r}"
    assert frame.at[key, "source"] == _source(section)


@pytest.mark.parametrize(
    "file", ["sites.csv", "alliances.csv", "programs.csv", "events.csv", "details.csv"]
)
def test_no_record_beyond_the_article(data, file):
    """Nothing invented: every record of these files is one of the facts above."""
    held = set(data[file][KEYS.get(file, "id")])
    assert held == {key for f, key, *_ in NAMED if f == file}


def test_every_record_cites_a_section_of_the_article(data):
    sections = io.split_list(data["sources.csv"].set_index("key").at[A, "sections"])
    assert sections == [S1, S2, S3, CAPTION]
    for file in ("sites.csv", "metrics.csv", "alliances.csv", "events.csv", "details.csv"):
        for source in data[file]["source"]:
            key, _, section = source.partition("#")
            cited = set(section.split("、"))
            assert key == A and (cited <= set(sections) or source == A), (file, source)


def test_a_fact_without_a_location_is_not_a_site(data):
    names = set(data["sites.csv"]["name"])
    assert not names & {
        "建心家园",
        "同心春元",
        "商埠客厅·睦邻党建",
        "老商埠",
        "玉符河",
        "赋能思享论坛",
    }
    assert set(data["sites.csv"]["location_precision"]) <= {"subdistrict", "district"}


# --- the three wrong statements --------------------------------------------------------------


def _texts(data, *files: str) -> list[str]:
    return [
        str(value)
        for file in files
        for column in data[file].columns
        if column not in ("id", "key", "source")
        for value in data[file][column]
    ]


def test_the_roadshow_was_being_prepared_not_held(data):
    mentions = [t for t in _texts(data, "programs.csv", "events.csv", "details.csv") if "路演" in t]
    assert mentions and all("准备" in t for t in mentions), mentions
    english = [t for t in _texts(data, "programs.csv", "events.csv") if "roadshow" in t]
    assert english and all("preparing" in t or "being prepared" in t for t in english), english
    events = data["events.csv"]
    assert events["title_zh"].str.contains("路演").sum() == 1  # recorded once
    assert not any(re.search(r"(参加|举办|开展了)项目路演", t) for t in mentions)


def test_the_seconded_officials_are_urban_secretaries_and_deputies(data):
    metric = data["metrics.csv"].set_index("id").loc["m-secondment"]
    assert "城市社区党组织书记、专职副书记" in metric["name_zh"]
    assert "deputy secretaries" in metric["name_en"]
    event = data["events.csv"].set_index("id").loc["e-secondment-2024"]
    assert "8名城市社区党组织书记、专职副书记" in event["title_zh"]
    assert "Party secretaries and full-time deputy secretaries" in event["title_en"]
    program = data["programs.csv"].set_index("key").loc["cadre_exchange"]
    assert "城市社区党组织书记、专职副书记" in program["description_zh"]
    assert "deputy secretaries" in program["description_en"]


def test_the_citation_has_headline_subtitle_and_dateline(data):
    article = data["sources.csv"].set_index("key").loc[A]
    assert article["title"] == "执党建引领之笔，绘基层治理蓝图"
    assert article["subtitle"] == "市中区：高质量党建引领活力品质强区再添发展新动能"
    assert article["dateline"] == "济南报道"  # a dateline, not a publication
    assert article["date"] == "2024"  # the article gives nothing more precise
    assert article["authors"] == "杜春娜；通讯员 孙化鹏、孔雪"
    assert article["short_zh"] == "《执党建引领之笔，绘基层治理蓝图》济南报道，2024"
    assert "《执党建引领之笔，绘基层治理蓝图——市中区" in article["citation"]
    assert "《市中区" not in article["citation"]  # the subtitle is not the title
    for text in (article["citation"], article["short_zh"], article["citation_en"]):
        assert not re.search(r"2024[-年./]\s*\d", text), text  # no invented month or day
    assert cite(f"{A}#{S1}", data["sources.csv"]) == (
        "《执党建引领之笔，绘基层治理蓝图》济南报道，2024（聚力攻坚）"
    )


# --- the smaller defects ---------------------------------------------------------------------


def test_the_mengxiangjia_case_is_recorded_once(data):
    events = data["events.csv"]
    assert (events["title_zh"].str.contains("梦享家")).sum() == 1
    assert events.set_index("id").at["e-mengxiangjia-case", "date"] == "2022"


def test_erqi_has_the_pinyin_of_its_nbs_name():
    subdistricts = io.load_subdistricts().set_index("code")
    erqi = subdistricts.loc["370103008"]
    assert (erqi["name"], erqi["name_alt"], erqi["pinyin"]) == ("二七街道", "二七新村街道", "er qi")
    # every pinyin spells its NBS name: as many syllables as the short name has characters
    for code, row in subdistricts.iterrows():
        assert len(row["pinyin"].split()) == len(row["short_name"]), code


def test_yishang_reads_at_least_in_english(data):
    english = _texts(data, "metrics.csv", "programs.csv", "events.csv", "details.csv")
    assert not [t for t in english if re.search(r"(^|\s)>\s?\d", t)]
    names = data["metrics.csv"].set_index("id")["name_en"]
    assert "≥ 500,000 yuan" in names["m-dougou-500k"]
    assert "≥ 1,000,000 yuan" in names["m-dougou-1m"]


def test_inference_is_a_field_of_the_site(data):
    sites = data["sites.csv"].set_index("id")
    assert sites["inferred"].dtype == bool
    assert set(sites.index[sites["inferred"]]) == {"v-370103021209", "demo-sddi"}
    # the field and the prose agree: a description that infers belongs to an inferred site
    says_inferred = sites["description"].str.contains("推断|推测")
    assert (says_inferred == sites["inferred"]).all(), sites.index[says_inferred].tolist()


def test_chaoyixing_is_no_subdistricts_site(data):
    site = data["sites.csv"].set_index("id").loc["demo-chaoyixing"]
    assert (site["location_precision"], site["subdistrict_code"]) == ("district", "")
    point = shapely.Point(site["lon"], site["lat"])
    areas = load_configured_areas(AreasSource(DATA_DIR / "subdistrict_areas_schematic.geojson"))
    assert not areas.contains(point).any(), "inside one subdistrict's area"
    assert areas.covers(point).sum() >= 3, "on the common border of several areas"
    assert point.within(io.load_outline().geometry.union_all())
    assert "不属于任何街道" in site["description"]


def test_the_alliance_outline_is_labelled_schematic(data):
    group = maps.build_alliance_layer(data["alliances.csv"], data["sites.csv"], "zh")
    assert group.layer_name == "联建范围（示意）"
    english = maps.build_alliance_layer(data["alliances.csv"], data["sites.csv"], "en")
    assert english.layer_name == "Alliances (schematic)"
    features = [
        feature
        for child in group._children.values()
        if hasattr(child, "data")
        for feature in child.data.get("features", [child.data])
    ]
    labels = [feature["properties"]["label"] for feature in features]
    assert len(labels) == 2 and all("示意" in label for label in labels), labels


def test_unreadable_ocr_is_said_not_guessed(data):
    details = data["details.csv"].set_index("id")
    unreadable = details[details["kind"] == "unreadable"]
    assert set(unreadable["name_zh"]) == {"“实3岁下”", "“一月挑”", "“小庄采……”"}
    assert unreadable["detail_zh"].str.contains("无法辨读").all()
    everything = " ".join(_texts(data, *[f for f in data if f != "sources.csv"]))
    for guess in ("一肩挑", "小庄采摘", "推测为采摘"):
        assert guess not in everything, guess
    yufu = data["alliances.csv"].set_index("id").at["al-yufuquanyuan", "description"]
    assert "“实3岁下”“一月挑”无法辨读" in yufu


def test_the_readme_counts_every_file():
    """data/README.md says what each file holds; its row counts are the files' own."""
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in sorted(Path(DATA_DIR).glob("*.csv")):
        rows = len(pd.read_csv(path, dtype=str, keep_default_na=False))
        assert f"| `{path.name}` | {rows} |" in readme, path.name
    assert "every figure of the article" in readme
    assert f"| `metrics.csv` | {len(FIGURES)} |" in readme
