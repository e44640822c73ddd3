"""User-facing labels in Chinese (default) and English: the one place UI text lives."""

from __future__ import annotations

LANGS = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # frame
    "app_title": (
        "市中区党建引领基层治理地图",
        "Shizhong District: Party-building-led governance map",
    ),
    "page_overview": ("总览", "Overview"),
    "page_subdistrict": ("街道", "Subdistrict"),
    "page_program": ("项目", "Program"),
    "page_records": ("数据", "Records"),
    "language": ("语言 Language", "Language 语言"),
    "filters": ("筛选", "Filters"),
    "filter_street": ("街道", "Subdistricts"),
    "filter_program": ("项目", "Programs"),
    "filter_kind": ("类型", "Kinds"),
    "filter_years": ("年份", "Years"),
    "filter_text": ("按名称搜索", "Search by name"),
    "filter_reset": ("清除筛选", "Clear filters"),
    "all": ("全部", "All"),
    "ignored_params": (
        "链接中的以下参数无效，已忽略：",
        "These link parameters are invalid and were ignored: ",
    ),
    "share_hint": (
        "复制浏览器地址即可分享当前视图。",
        "Copy the browser address to share this view.",
    ),
    # KPIs
    "reported": ("上报指标", "Reported figures"),
    "reported_help": (
        "来源文件中报告的数字（非本系统统计）",
        "Figures stated by a source (not counted here)",
    ),
    "counted": ("本图统计", "Counted on this map"),
    "counted_help": (
        "根据当前筛选的记录计算的数量，不是上报数字",
        "Counts of the records currently shown, not reported figures",
    ),
    "count_sites": ("点位数（统计）", "Sites (count)"),
    "count_subdistricts": ("覆盖街道（统计）", "Subdistricts covered (count)"),
    "count_programs": ("涉及项目（统计）", "Programs covered (count)"),
    "no_reported": ("当前筛选范围内没有上报指标。", "No reported figure in the current scope."),
    "empty_state": (
        "没有符合筛选条件的记录。地图仍显示区界和街道范围；统计数为 0。请放宽筛选条件。",
        "No record matches the filters. The map still shows the outline and areas; "
        "counts are 0. Widen the filters.",
    ),
    "source": ("来源", "Source"),
    "year": ("年份", "Year"),
    # map
    "map_outline": ("市中区区界", "District outline"),
    "map_areas": ("街道范围（示意）", "Subdistrict areas (schematic)"),
    "map_areas_official": ("街道范围", "Subdistrict areas"),
    "map_alliances": ("联建范围", "Alliances"),
    "map_labels": ("街道名称", "Subdistrict names"),
    "schematic_tag": ("示意", "schematic"),
    "schematic_note": (
        "街道范围为示意（按驻地估计位置生成），非官方边界。",
        "Subdistrict areas are schematic (drawn from estimated seats), not official.",
    ),
    "legend_programs": ("项目颜色", "Program colours"),
    "legend_precision": ("位置精度", "Location precision"),
    "field_name": ("名称", "Name"),
    "field_kind": ("类型", "Kind"),
    "field_subdistrict": ("街道", "Subdistrict"),
    "field_unit": ("村/社区", "Village/community"),
    "field_programs": ("项目", "Programs"),
    "field_precision": ("位置精度", "Precision"),
    "field_description": ("说明", "Description"),
    "field_members": ("成员", "Members"),
    "selected_site": ("选中的点位", "Selected site"),
    "click_hint": (
        "点击地图上的街道范围可按街道筛选，点击点位可查看详情。",
        "Click an area to filter by subdistrict, a site to see its details.",
    ),
    "open_profile": ("打开街道详情", "Open subdistrict profile"),
    "clear_selection": ("清除选择", "Clear selection"),
    # charts
    "chart_by_subdistrict": ("各街道记录数（按项目）", "Records per subdistrict, by program"),
    "chart_by_program": ("各项目记录数", "Records per program"),
    "chart_five_models": ("村集体经济“五种模式”", "The five collective-economy models"),
    "five_models_note": (
        "来源只列出五种模式，未给出各模式的数字，因此不画数量。",
        "The source names the five models but gives no figure per model, so none is drawn.",
    ),
    "records_count_axis": ("记录数（统计）", "Records (count)"),
    "chart_click_hint": ("点击柱条可筛选地图。", "Click a bar to filter the map."),
    # profiles
    "choose_subdistrict": ("选择街道", "Choose a subdistrict"),
    "choose_program": ("选择项目", "Choose a program"),
    "units_table": ("下辖村/社区", "Villages and communities"),
    "sites_here": ("点位", "Sites"),
    "programs_here": ("涉及项目", "Programs"),
    "metrics_here": ("指标", "Figures"),
    "timeline": ("时间线", "Timeline"),
    "what_it_is": ("项目简介", "What it is"),
    "approx_seat": (
        "街道驻地为估计位置（误差约 {km} 公里）。",
        "The seat is an estimate (about ±{km} km).",
    ),
    # records page
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_geojson": ("下载 GeoJSON", "Download GeoJSON"),
    "download_map": ("下载地图（离线 HTML）", "Download map (offline HTML)"),
    "records_caption": ("共 {n} 条记录（当前筛选）。", "{n} records (current filter)."),
}

KIND_LABELS = {
    "village": ("村", "Village"),
    "community": ("社区", "Community"),
    "service_center": ("党群服务中心", "Service centre"),
    "station": ("暖心驿站", "Warm-heart station"),
    "demo_site": ("示范点", "Demonstration site"),
    "industry": ("产业点", "Industry site"),
}
PRECISION_LABELS = {
    "exact": ("精确位置", "exact"),
    "approximate": ("近似位置", "approximate"),
    "subdistrict": ("仅到街道（示意位置）", "subdistrict only (indicative position)"),
    "district": ("仅到区（示意位置）", "district only (indicative position)"),
}


def t(key: str, lang: str = "zh", **values) -> str:
    """The label ``key`` in ``lang``; ``values`` fill ``{placeholders}``. Unknown keys echo."""
    zh, en = _LABELS.get(key, (key, key))
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def kind_label(kind: str, lang: str = "zh") -> str:
    zh, en = KIND_LABELS.get(kind, (kind, kind))
    return en if lang == "en" else zh


def precision_label(precision: str, lang: str = "zh") -> str:
    zh, en = PRECISION_LABELS.get(precision, (precision, precision))
    return en if lang == "en" else zh


_LABELS.update(
    {
        "basemap": ("底图", "Basemap"),
        "basemap_failed": (
            "底图瓦片无法加载（无网络或密钥无效），已切换为无底图（离线）显示。",
            "Basemap tiles could not load (no network or a rejected key); showing the map without tiles.",
        ),
        "basemap_unknown": (
            "未知的底图，已使用无底图（离线）模式。",
            "Unknown basemap; using none (offline).",
        ),
        "basemap_no_token": (
            "未配置有效的天地图密钥（tk），已使用无底图（离线）模式。见 README 的“底图”一节。",
            "No valid Tianditu key (tk) is configured; using none (offline). See the README's Basemaps section.",
        ),
        "basemap_no_url": (
            "未配置内网瓦片地址（SHIZHONG_TILE_URL），已使用无底图（离线）模式。",
            "No intranet tile URL (SHIZHONG_TILE_URL) is configured; using none (offline).",
        ),
        "basemap_datum_note": (
            "高德底图为 GCJ-02 坐标，所有图层已相应转换显示。",
            "AMap tiles are GCJ-02; every overlay is converted to match.",
        ),
    }
)
