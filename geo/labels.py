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

_LABELS.update(
    {
        "page_manage": ("管理", "Manage"),
        "login_title": ("编辑登录", "Editor login"),
        "login_user": ("用户名", "User name"),
        "login_password": ("密码", "Password"),
        "login_button": ("登录", "Log in"),
        "login_sso": ("使用单位统一身份认证登录", "Log in with single sign-on"),
        "login_failed": ("用户名或密码错误。", "Wrong user name or password."),
        "logout": ("退出登录", "Log out"),
        "logged_in_as": ("当前编辑：{user}", "Editing as {user}"),
        "editing_off": (
            "本部署为只读：数据管理已关闭。",
            "This deployment is read-only: data management is off.",
        ),
        "editing_unconfigured": (
            "尚未配置编辑账号。请在 .streamlit/secrets.toml 中配置 [auth]（单点登录）或 [editors] 账号，见 README。",
            "No editor accounts are configured. Configure [auth] (single sign-on) or [editors] in .streamlit/secrets.toml; see the README.",
        ),
        "tab_import": ("导入", "Import"),
        "tab_locate": ("定位", "Fix location"),
        "tab_export": ("导出", "Export"),
        "tab_audit": ("变更记录", "Audit trail"),
        "tab_backup": ("备份", "Backup"),
        "template_download": ("下载 Excel 模板", "Download the Excel template"),
        "upload_file": ("上传 Excel（.xlsx）或 CSV 文件", "Upload an Excel (.xlsx) or CSV file"),
        "import_checking": ("正在检查……", "Checking…"),
        "import_errors": (
            "文件有 {n} 处错误，未写入任何数据。请修改后重新上传。",
            "The file has {n} error(s); nothing was written. Fix them and upload again.",
        ),
        "import_ready": ("检查通过：{summary}。", "The file is valid: {summary}."),
        "import_apply": ("确认导入", "Import now"),
        "import_done": ("导入完成：{summary}。", "Imported: {summary}."),
        "import_nothing": ("没有需要写入的变化。", "Nothing to change."),
        "col_sheet": ("工作表", "Sheet"),
        "col_row": ("行", "Row"),
        "col_column": ("列", "Column"),
        "col_value": ("值", "Value"),
        "col_problem": ("问题", "Problem"),
        "col_severity": ("级别", "Level"),
        "locate_pick": ("选择要定位的点位", "Choose the site to place"),
        "locate_hint": (
            "在地图上点击该点位的实际位置。",
            "Click the site's true position on the map.",
        ),
        "locate_old": ("原位置", "Current position"),
        "locate_new": ("新位置（WGS-84）", "New position (WGS-84)"),
        "locate_save": ("保存新位置", "Save the new position"),
        "locate_saved": ("已保存，位置精度设为“精确”。", "Saved; precision set to exact."),
        "conflict": ("保存失败：{error}", "Not saved: {error}"),
        "export_all": ("导出全部数据（Excel 模板格式）", "Export everything (Excel template)"),
        "export_filtered": (
            "导出当前筛选（Excel 模板格式）",
            "Export the current filter (Excel template)",
        ),
        "audit_pick": ("选择要撤销的变更", "Choose a change to revert"),
        "audit_revert": ("撤销此变更", "Revert this change"),
        "audit_reverted": ("已撤销。", "Reverted."),
        "backup_make": ("创建备份", "Make a backup"),
        "backup_download": ("下载备份文件", "Download the backup"),
        "backup_restore": (
            "从备份文件恢复（会替换当前数据）",
            "Restore from a backup file (replaces the current data)",
        ),
        "backup_restored": ("已恢复。", "Restored."),
        "backup_only_sqlite": (
            "文件备份仅适用于内置 SQLite 存储。",
            "File backups are for the built-in SQLite store.",
        ),
    }
)

_LABELS.update(
    {
        "page_present": ("大屏", "Big screen"),
        "present_title": (
            "济南市市中区 · 党建引领基层治理",
            "Shizhong District, Jinan · Party-building-led governance",
        ),
        "present_pause": ("暂停轮播", "Pause tour"),
        "present_resume": ("继续轮播", "Resume tour"),
        "present_prev": ("◀", "◀"),
        "present_next": ("▶", "▶"),
        "present_step": ("{kind} {n}/{total}", "{kind} {n}/{total}"),
        "present_paused": ("已暂停", "Paused"),
        "present_every": ("每 {s} 秒切换", "every {s} s"),
        "present_sites": ("点位", "Sites"),
        "present_none": ("暂无点位记录", "No site recorded"),
        "kind_program": ("项目", "Program"),
        "kind_street": ("街道", "Subdistrict"),
        "count_note": ("本系统统计", "counted here"),
    }
)

_LABELS.update(
    {
        "page_present": ("大屏", "Big screen"),
        "present_title": (
            "济南市市中区 · 党建引领基层治理",
            "Shizhong District, Jinan · Party-building-led governance",
        ),
        "present_pause": ("暂停轮播", "Pause tour"),
        "present_resume": ("继续轮播", "Resume tour"),
        "present_prev": ("◀ 上一个", "◀ Previous"),
        "present_next": ("下一个 ▶", "Next ▶"),
        "present_step": ("{kind} {n}/{total}", "{kind} {n}/{total}"),
        "present_paused": ("已暂停", "Paused"),
        "present_every": ("每 {s} 秒切换", "every {s} s"),
        "present_sites": ("点位", "Sites"),
        "present_none": ("暂无点位记录", "No site recorded"),
        "kind_program": ("项目", "Program"),
        "kind_street": ("街道", "Subdistrict"),
        "count_note": ("本系统统计", "counted here"),
    }
)

_LABELS.update(
    {
        "click_for_details": ("点击查看名称和详情", "Click for the name and details"),
    }
)

_LABELS.update(
    {
        "aggregate_unit": ("个点位", "sites"),
        "aggregate_hint": (
            "点位过多，按街道汇总显示；点击或按街道筛选可查看单个点位。",
            "Too many sites to show one by one: click, or filter by subdistrict, to see them.",
        ),
        "aggregate_tag": ("，按街道汇总", ", per subdistrict"),
    }
)

_LABELS.update(
    {
        # ui/connection.py: shown by the browser while the page has lost its server
        "reconnecting": (
            "与服务器的连接已中断，正在重新连接……恢复后，页面会按网址中的筛选条件自动刷新。",
            "The connection to the server was lost: reconnecting… When it is back, the page "
            "refreshes itself with the filters in its address.",
        ),
        # ui/data.py: a rerun while the database restarts or cannot be reached
        "store_unreachable_stale": (
            "数据库暂时无法连接（可能正在重启），页面显示的是刚才读取的数据，请稍后再操作。",
            "The database cannot be reached right now (it may be restarting): the page shows "
            "the data as last read. Try again in a moment.",
        ),
        "store_unreachable": (
            "数据库暂时无法连接（可能正在重启），请稍后刷新页面。",
            "The database cannot be reached right now (it may be restarting). Reload the page "
            "in a moment.",
        ),
    }
)
