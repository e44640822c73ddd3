"""User-facing labels in Chinese (default) and English: the one place UI text lives."""

from __future__ import annotations

from collections.abc import Iterable

from geo.text import vocab

LANGS = ("zh", "en")
#: The language shown when none is asked for (a link without ``lang=``, the command line).
DEFAULT_LANG = LANGS[0]
#: The languages whose readers are shown text written only in English as it is written (the
#: licences and notes of sources.csv, a package's citation); the others get a translation
#: or a short form in their own language, or nothing.
ENGLISH_TEXT_LANGS = ("en",)

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
    "text_size": ("字号", "Text size"),
    "text_size_1": ("标准", "Normal"),
    "text_size_1.25": ("大", "Large"),
    "text_size_1.5": ("特大", "Extra large"),
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
    "map_areas_mixed": ("街道范围（部分示意）", "Subdistrict areas (partly schematic)"),
    "map_alliances": ("联建范围", "Alliances"),
    "map_labels": ("街道名称", "Subdistrict names"),
    "map_units": ("村/社区位置", "Villages and communities"),
    "schematic_tag": ("示意", "schematic"),
    "schematic_note": (
        "街道范围为示意（按驻地估计位置生成），非官方边界。",
        "Subdistrict areas are schematic (drawn from estimated seats), not official.",
    ),
    "schematic_note_mixed": (
        "标有“示意”的街道范围按驻地估计位置生成，非官方边界；其余为已载入的官方边界。",
        "Areas marked schematic are drawn from estimated seats, not official; the others are "
        "the official boundaries loaded.",
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
    # the map as a list (keyboard and screen readers)
    "site_list": ("点位列表（地图的文字版）", "Sites (the map as text)"),
    "site_list_hint": (
        "按 Tab 键逐个选择点位，按回车键查看详情并在地图上标出，按 Esc 键回到列表。"
        "街道可在左侧筛选栏的“街道”中选择。",
        "Tab to a site, press Enter to see its details and mark it on the map, Escape to come "
        "back to this list. Choose subdistricts in the sidebar's Subdistricts filter.",
    ),
    "site_list_empty": ("当前筛选范围内没有点位。", "No site in the current scope."),
    "site_list_more": (
        "仅列出前 {n} 个点位，请缩小筛选范围。",
        "Only the first {n} sites are listed; narrow the filters.",
    ),
    "site_list_count": ("共 {n} 个点位", "{n} sites"),
    "subdistrict_choices": ("按街道筛选", "Filter by subdistrict"),
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
    "basemap": ("底图", "Basemap"),
    "basemap_none": ("无底图（离线）", "None (offline)"),
    "basemap_tianditu_vec": ("天地图 矢量", "Tianditu vector"),
    "basemap_tianditu_img": ("天地图 影像", "Tianditu imagery"),
    "basemap_amap_road": ("高德 道路", "AMap road"),
    "basemap_amap_satellite": ("高德 卫星", "AMap satellite"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_custom": ("内网瓦片服务", "Intranet tile server"),
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
    "tab_locate": ("定位", "Place"),
    "tab_export": ("导出", "Export"),
    "tab_audit": ("变更记录", "Audit trail"),
    "tab_backup": ("备份", "Backup"),
    "template_download": ("下载 Excel 模板", "Download the Excel template"),
    "upload_file": (
        "上传台账或模板：Excel（.xlsx、.xls）、WPS/LibreOffice（.ods）、CSV 或 Unicode 文本（.txt）",
        "Upload a ledger or the template: Excel (.xlsx, .xls), .ods, CSV or Unicode text (.txt)",
    ),
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
    "severity_error": ("错误", "error"),
    "severity_warning": ("提示", "warning"),
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
    "backup_postgres_note": (
        "PostgreSQL 数据同样备份为一个 SQLite 文件（可在任一种存储上恢复）；"
        "恢复在一个事务中替换全部数据，出错则全部回滚。",
        "On PostgreSQL the backup is one SQLite file too (it restores on either store); a "
        "restore replaces all the data in one transaction and rolls back entirely on any error.",
    ),
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
    "click_for_details": ("点击查看名称和详情", "Click for the name and details"),
    "aggregate_unit": ("个点位", "sites"),
    "aggregate_hint": (
        "点位过多，按街道汇总显示；点击或按街道筛选可查看单个点位。",
        "Too many sites to show one by one: click, or filter by subdistrict, to see them.",
    ),
    "aggregate_tag": ("，按街道汇总", ", per subdistrict"),
    # citations (geo.data.citations)
    "cite_import": ("导入文件《{name}》", "Imported file “{name}”"),
    "cite_section": ("{citation}（{section}）", "{citation}, section “{section}”"),
    "cite_none": ("未注明来源", "No source given"),
    # periods of reported figures (geo.data.kpi.format_period)
    "period_year": ("{year}年度", "{year}"),
    "period_to_date": ("截至{year}年", "as of {year}"),
    "period_unknown": ("年份不详", "year not given"),
    # inferred records
    "field_inferred": ("推断", "Inferred"),
    "inferred_yes": (
        "是：名称或位置由推断得出，依据见说明",
        "yes: its identity or placement is inferred; the description says from what",
    ),
    "inferred_no": ("否", "no"),
    # the alliance outline joins stand-in positions
    "map_alliances_schematic": ("联建范围（示意）", "Alliances (schematic)"),
    "alliance_schematic": (
        "示意：连接成员村的示意位置，不是实际范围",
        "schematic: joins the members' indicative positions, not a real boundary",
    ),
    # how many of an alliance's members are inferred (in a paren_note)
    "alliance_inferred_count": ("{n} 推断", "{n} inferred"),
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
    # boundary files (geo/intake/boundaries.py, ui/boundaries.py)
    "tab_boundaries": ("街道边界", "Subdistrict boundaries"),
    "bnd_intro": (
        "上传自然资源或民政部门提供的街道边界文件：.zip（内含 Shapefile），或 Shapefile 的"
        " .shp、.shx、.dbf、.prj（及 .cpg）一起选中，或 .gpkg、.geojson/.json、.kml。"
        "先显示检查报告，确认后才写入。",
        "Upload the subdistrict boundary file from the natural-resources or civil-affairs "
        "bureau: a .zip (holding a shapefile), or the shapefile's .shp, .shx, .dbf, .prj (and "
        ".cpg) selected together, or a .gpkg, .geojson/.json or .kml. A report comes first; "
        "nothing is written until you confirm.",
    ),
    "bnd_upload": ("边界文件", "Boundary file"),
    "bnd_options": ("字段和坐标系（通常无需填写）", "Fields and CRS (usually not needed)"),
    "bnd_code_field": ("代码字段", "Code field"),
    "bnd_name_field": ("名称字段", "Name field"),
    "bnd_crs_option": ("坐标系（如 EPSG:4527）", "CRS (e.g. EPSG:4527)"),
    "bnd_auto": ("自动识别", "found automatically"),
    "bnd_checking": ("正在读取和检查……", "Reading and checking…"),
    "bnd_failed": (
        "文件不能载入（{n} 处错误），未写入任何数据。",
        "The file cannot be loaded ({n} error(s)); nothing was written.",
    ),
    "bnd_ready": (
        "检查通过：将新增 {inserted} 个、修改 {updated} 个街道范围，{unchanged} 个未变。",
        "Checked: {inserted} area(s) to add, {updated} to change, {unchanged} unchanged.",
    ),
    "bnd_nothing": (
        "这些街道范围已经载入，没有需要写入的变化。",
        "These areas are already loaded; nothing to change.",
    ),
    "bnd_apply": ("确认载入边界", "Load the boundaries"),
    "bnd_done": (
        "已载入：新增 {inserted} 个、修改 {updated} 个街道范围，{unchanged} 个未变。"
        "可在“变更记录”中逐条撤销。",
        "Loaded: {inserted} area(s) added, {updated} changed, {unchanged} unchanged. Each can be "
        "reverted from the audit trail.",
    ),
    "bnd_dry_done": (
        "试运行：将新增 {inserted} 个、修改 {updated} 个街道范围，{unchanged} 个未变；未写入。",
        "dry run: {inserted} area(s) to add, {updated} to change, {unchanged} unchanged; "
        "nothing written.",
    ),
    "bnd_metric_matched": ("匹配街道", "Subdistricts matched"),
    "bnd_metric_total": ("面积合计", "Total area"),
    "bnd_metric_district": ("区界面积", "District outline"),
    "bnd_areas_table": ("文件中的区域", "Areas in the file"),
    "bnd_sites_table": ("将位于所属街道官方范围之外的点位", "Sites outside their official area"),
    "bnd_col_feature": ("要素", "Feature"),
    "bnd_col_file_code": ("文件中的代码", "Code in the file"),
    "bnd_col_file_name": ("文件中的名称", "Name in the file"),
    "bnd_col_matched": ("匹配街道", "Matched subdistrict"),
    "bnd_col_how": ("匹配方式", "Matched by"),
    "bnd_col_km2": ("面积（km²）", "Area (km²)"),
    "bnd_col_share": ("占区界（%）", "Of the district (%)"),
    "bnd_col_site": ("点位", "Site"),
    "bnd_col_subdistrict": ("街道", "Subdistrict"),
    "bnd_col_precision": ("位置精度", "Precision"),
    "bnd_col_distance": ("距范围（米）", "Distance (m)"),
    "bnd_source": ("边界文件《{file}》（{crs}）", "boundary file {file} ({crs})"),
    "bnd_line_file": ("边界文件：{file}", "boundary file: {file}"),
    "bnd_line_layer": (
        "图层：{layer}（{driver}，{n} 个要素）",
        "layer: {layer} ({driver}, {n} features)",
    ),
    "bnd_line_encoding": ("属性文字编码：{encoding}", "text encoding: {encoding}"),
    "bnd_line_crs": (
        "坐标系：文件声明为 {declared}，读取按 {used}（{how}）",
        "CRS: declared {declared}; read as {used} ({how})",
    ),
    "bnd_line_crs_same": ("坐标系：{used}（{how}）", "CRS: {used} ({how})"),
    "bnd_line_crs_none": (
        "坐标系：文件未声明，读取按 {used}（{how}）",
        "CRS: none declared; read as {used} ({how})",
    ),
    "bnd_crs_none": ("未声明", "none"),
    "bnd_crs_4326": ("WGS-84 经纬度（EPSG:4326）", "WGS 84 longitude/latitude (EPSG:4326)"),
    "bnd_crs_4490": ("CGCS2000 经纬度（EPSG:4490）", "CGCS2000 longitude/latitude (EPSG:4490)"),
    "bnd_crs_gk_zone": (
        "CGCS2000 {width}度带高斯-克吕格投影 第{zone}带，横坐标含带号（EPSG:{code}）",
        "CGCS2000 / {width}-degree Gauss-Kruger zone {zone}, zone number in the easting "
        "(EPSG:{code})",
    ),
    "bnd_crs_gk_cm": (
        "CGCS2000 {width}度带高斯-克吕格投影 中央经线 {cm}°E，横坐标不含带号（EPSG:{code}）",
        "CGCS2000 / {width}-degree Gauss-Kruger CM {cm}E, no zone number (EPSG:{code})",
    ),
    "bnd_crs_how_declared": ("按文件声明", "as declared"),
    "bnd_crs_how_given": ("按指定", "as given"),
    "bnd_crs_how_corrected": ("已按坐标数值更正", "corrected from the coordinates"),
    "bnd_crs_how_inferred": ("按坐标数值推断，请核对", "inferred from the coordinates: check it"),
    "bnd_line_fields": (
        "代码字段：{code}；名称字段：{name}",
        "code field: {code}; name field: {name}",
    ),
    "bnd_line_summary": (
        "匹配 {n}/{count} 个街道；面积合计 {total} km²，区界 {district} km²（{pct}%）",
        "{n}/{count} subdistricts matched; areas total {total} km², district outline {district} km² "
        "({pct}%)",
    ),
    "bnd_line_site": (
        "{site}（{subdistrict}，{precision}）在官方范围之外，距其约 {m} 米",
        "{site} ({subdistrict}, {precision}) lies outside the official area, about {m} m away",
    ),
    "bnd_line_matched": ("{name}（{how}）", "{name} ({how})"),
    "bnd_line_share": ("（{pct}%）", " ({pct}%)"),
    "bnd_line_level": ("{level}：{text}", "{level}: {text}"),
    "bnd_by_code": ("按代码", "by code"),
    "bnd_by_name": ("按名称", "by name"),
    "bnd_status_matched": ("已匹配", "matched"),
    "bnd_status_unit": ("村/社区级代码，未载入", "village/community code, not loaded"),
    "bnd_status_other": ("其他区县，未载入", "another district, not loaded"),
    "bnd_status_unmatched": ("未匹配，未载入", "not matched, not loaded"),
    "bnd_status_empty": ("无面几何，未载入", "no polygon, not loaded"),
    "bnd_no_file": ("找不到文件 {file}。", "{file} does not exist."),
    "bnd_unsupported": (
        "不支持的文件类型（{file}）：请用 .zip（内含 Shapefile）、.shp（连同 .shx、.dbf、.prj）、"
        ".gpkg、.geojson/.json 或 .kml。",
        "{file}: unsupported file type; use a .zip (holding a shapefile), a .shp (with its .shx, "
        ".dbf, .prj), .gpkg, .geojson/.json or .kml.",
    ),
    "bnd_nothing_found": (
        "{file} 中没有可读的边界文件（.shp、.gpkg、.geojson、.kml）；其中的文件：{names}。",
        "{file} holds no boundary file (.shp, .gpkg, .geojson, .kml); it holds: {names}.",
    ),
    "bnd_archive_empty": (
        "压缩包 {file} 中没有边界文件（.shp、.gpkg、.geojson、.kml）；包内文件：{names}。",
        "The archive {file} holds no boundary file (.shp, .gpkg, .geojson, .kml); it holds: "
        "{names}.",
    ),
    "bnd_archive_too_big": (
        "压缩包 {file} 解压后超过 {mb} MB，未读取。",
        "The archive {file} unpacks to more than {mb} MB; not read.",
    ),
    "bnd_bad_archive": (
        "{file} 不是有效的 zip 压缩包（文件损坏或不完整），无法读取。请重新导出或重新发送。",
        "{file} is not a valid zip archive (damaged or incomplete). Export or send it again.",
    ),
    "bnd_shapefile_parts": (
        "Shapefile {file} 缺少 {missing} 文件：Shapefile 由 .shp、.shx、.dbf（及 .prj 坐标系、"
        ".cpg 编码）几个文件组成，请一起上传（或打包成 .zip）。",
        "The shapefile {file} lacks its {missing} file: a shapefile is .shp, .shx, .dbf (and "
        ".prj, .cpg) together; upload them all (or as one .zip).",
    ),
    "bnd_unreadable": (
        "文件 {file} 无法读取（格式不对或已损坏）。读取程序的提示：{detail}",
        "{file} cannot be read (wrong format or damaged). The reader said: {detail}",
    ),
    "bnd_empty": ("图层“{layer}”中没有任何要素。", "The layer {layer} holds no feature."),
    "bnd_geom_point": ("点", "points"),
    "bnd_geom_line": ("线", "lines"),
    "bnd_geom_other": ("其他几何类型", "other geometry"),
    "bnd_not_polygons": (
        "图层“{layer}”中的要素是{types}，不是面（多边形）：街道边界须为面图层。",
        "The layer {layer} holds {types}, not polygons: subdistrict boundaries must be polygons.",
    ),
    "bnd_no_fields": (
        "找不到街道代码字段或名称字段。文件中的字段：{fields}。请指定代码字段或名称字段"
        "（命令行 --code-field / --name-field）。",
        "No field with subdistrict codes or names was found. The fields are: {fields}. Name the "
        "code or name field (--code-field / --name-field).",
    ),
    "bnd_field_missing": (
        "文件中没有字段“{field}”。文件中的字段：{fields}。",
        "The file has no field {field!r}. Its fields are: {fields}.",
    ),
    "bnd_wrong_district": (
        "文件中没有市中区（{district}）的街道：代码不以 {district} 开头，名称也不是市中区的 {count} 个"
        "街道（文件中如：{examples}）。请确认是否为市中区的街道边界文件。",
        "The file holds no subdistrict of Shizhong ({district}): no code starts with "
        "{district} and no name is one of its {count} subdistricts (the file has e.g. {examples}). "
        "Check that this is Shizhong's subdistrict boundary file.",
    ),
    "bnd_units_file": (
        "文件中的 {n} 个区域都是村/社区（12 位代码末三位不是 000），不是街道边界。",
        "The file's {n} areas are all villages/communities (12-digit codes not ending in 000), "
        "not subdistricts.",
    ),
    "bnd_units_ignored": (
        "{n} 个村/社区级区域（12 位代码末三位不是 000）未载入。",
        "{n} village/community areas (12-digit codes not ending in 000) were not loaded.",
    ),
    "bnd_other_district": (
        "{n} 个其他区县的区域未载入（如 {examples}）。",
        "{n} areas of other districts were not loaded (e.g. {examples}).",
    ),
    "bnd_unmatched": (
        "第 {feature} 个要素（代码 {code}，名称 {name}）不是市中区的街道，未载入。",
        "Feature {feature} (code {code}, name {name}) is no subdistrict of Shizhong; not loaded.",
    ),
    "bnd_code_name_differ": (
        "第 {feature} 个要素：代码 {code} 是{matched}，名称却是“{name}”；已按代码匹配。",
        "Feature {feature}: code {code} is {matched} but the name says {name!r}; matched by code.",
    ),
    "bnd_empty_geometry": (
        "{n} 个要素没有面几何，未载入。",
        "{n} features have no polygon; skipped.",
    ),
    "bnd_merged_parts": (
        "{name} 在文件中分为 {n} 个要素，已合并为一个范围。",
        "{name} is {n} features in the file; merged into one area.",
    ),
    "bnd_repaired": (
        "{n} 个面有自相交等几何问题，已自动修复。",
        "{n} polygons had invalid geometry (e.g. self-intersections); repaired.",
    ),
    "bnd_layer_chosen": (
        "文件含多个图层或文件，使用“{layer}”（匹配 {n} 个街道）；未使用：{others}。",
        "Several layers or files: using {layer} ({n} subdistricts matched); not used: {others}.",
    ),
    "bnd_missing": (
        "文件中缺少 {n} 个街道：{names}。它们保留现有范围。",
        "{n} subdistricts are not in the file: {names}. They keep their current areas.",
    ),
    "bnd_all_outside": (
        "文件中的区域都不在市中区区界内（按 {crs}读取后位于 {bounds}）。坐标系可能有误，"
        "请指定坐标系（如 EPSG:4527）。",
        "None of the file's areas lies in the district (read as {crs}, they lie at {bounds}). "
        "The CRS may be wrong: name it (e.g. EPSG:4527).",
    ),
    "bnd_outside": (
        "{name} 的范围大部分不在市中区区界内（区界内仅 {pct}%）。",
        "Most of {name}'s area lies outside the district outline (only {pct}% inside).",
    ),
    "bnd_area_sum": (
        "各街道面积合计 {total} km²，与区界面积 {district} km² 相差较大，请核对文件。",
        "The areas total {total} km², far from the district outline's {district} km²; check "
        "the file.",
    ),
    "bnd_sites_outside": (
        "{n} 个点位将位于所属街道的官方范围之外（见下表），请核对其位置或所属街道。",
        "{n} sites would lie outside their subdistrict's official area (listed); check their "
        "position or subdistrict.",
    ),
    "bnd_encoding_detected": (
        "属性表未注明文字编码（没有 .cpg 文件），已按内容识别为 {encoding}。",
        "The attribute table does not state its encoding (no .cpg); detected {encoding}.",
    ),
    "bnd_encoding_not_utf8": (
        "文件的文字不是 UTF-8 编码（此格式应为 UTF-8），已按内容识别为 {encoding}。",
        "The file's text is not UTF-8 (as this format requires); detected {encoding}.",
    ),
    "bnd_encoding_mismatch": (
        ".cpg 文件写的是 {declared}，但文字不是该编码，已按 {used}读取。",
        "The .cpg says {declared} but the text is not; read as {used}.",
    ),
    "bnd_encoding_unknown": (
        "属性表的文字编码无法识别，已按 {encoding} 读取，中文可能显示为乱码。",
        "The text encoding could not be recognised; read as {encoding}, Chinese may be garbled.",
    ),
    "bnd_bad_crs": (
        "无法识别坐标系“{crs}”：请写 EPSG 代码，如 EPSG:4490、EPSG:4527、EPSG:4548。",
        "Unknown CRS {crs!r}: give an EPSG code, e.g. EPSG:4490, EPSG:4527, EPSG:4548.",
    ),
    "bnd_crs_unknown": (
        "文件没有声明坐标系（缺少 .prj），坐标范围（{bounds}）也无法判断是哪种坐标系。"
        "请指定坐标系（如 EPSG:4527）。",
        "The file declares no CRS (no .prj) and its coordinates ({bounds}) do not tell which. "
        "Name the CRS (e.g. EPSG:4527).",
    ),
    "bnd_crs_contradicted": (
        "文件声明的坐标系 {declared} 与坐标数值（{bounds}）不符，也无法推断。请指定坐标系。",
        "The declared CRS {declared} does not fit the coordinates ({bounds}), and none could "
        "be inferred. Name the CRS.",
    ),
    "bnd_crs_inferred": (
        "文件没有声明坐标系（缺少 .prj），已按坐标数值推断为 {used}，请核对。",
        "The file declares no CRS (no .prj); inferred {used} from the coordinates: check it.",
    ),
    "bnd_crs_contradicted_inferred": (
        "文件声明的坐标系 {declared} 与坐标数值不符，已按数值推断为 {used}，请核对。",
        "The declared CRS {declared} does not fit the coordinates; inferred {used}: check it.",
    ),
    "bnd_zone_removed": (
        "坐标系文件（.prj）为 {declared}，但横坐标带有带号 {zone}：已按 {used}读取。",
        "The .prj says {declared} but the eastings carry zone number {zone}: read as {used}.",
    ),
    "bnd_zone_added": (
        "坐标系文件（.prj）为 {declared}，但横坐标不带带号 {zone}：已按 {used}读取。",
        "The .prj says {declared} but the eastings lack zone number {zone}: read as {used}.",
    ),
    # what a boundary file may cost (geo/intake/vectorfile.py: ParseLimits, the reading child)
    "bnd_archive_members": (
        "压缩包 {file} 含 {n} 个文件，超过上限 {limit} 个，未解压。",
        "The archive {file} holds {n} files, over the limit of {limit}; not unpacked.",
    ),
    "bnd_archive_unpacked": (
        "压缩包 {file} 解压后共 {mb} MB，超过上限 {limit} MB，未解压。",
        "The archive {file} unpacks to {mb} MB, over the limit of {limit} MB; not unpacked.",
    ),
    "bnd_archive_ratio": (
        "压缩包 {file} 中的 {member} 压缩比为 {ratio} 倍，超过上限 {limit} 倍（疑为“压缩炸弹”），"
        "未解压。",
        "In the archive {file}, {member} is packed {ratio} to 1, over the limit of {limit} to 1 "
        "(a zip bomb?); not unpacked.",
    ),
    "bnd_too_many_vertices": (
        "边界文件共有 {n} 个顶点，超过上限 {limit} 个（{file}），未读取。请简化边界后重新导出。",
        "The boundary file has {n} vertices, over the limit of {limit} ({file}); not read. "
        "Simplify the boundaries and export again.",
    ),
    "bnd_object_too_large": (
        "文件 {file} 中有要素过大，超过读取程序单个要素 200 MB 的上限，无法读取（文件并未损坏）。"
        "请简化边界后重新导出。",
        "A feature of {file} is too large: over the reader's limit of 200 MB for one feature; "
        "not read (the file is not damaged). Simplify the boundaries and export again.",
    ),
    "bnd_attributes_too_large": (
        "文件 {file} 的属性表过大（超过 {mb} MB），未读取。",
        "The attribute table of {file} is too large (over {mb} MB); not read.",
    ),
    "bnd_file_too_large": (
        "读取文件 {file} 所需内存超过上限 {mb} MB（文件过大或格式异常），已停止读取。",
        "Reading {file} needed more than the {mb} MB of memory allowed (the file is too large "
        "or malformed); stopped.",
    ),
    "bnd_file_timeout": (
        "读取文件 {file} 超过时限 {seconds} 秒（文件过大或格式异常），已停止读取。",
        "Reading {file} took longer than the {seconds} s allowed (the file is too large or "
        "malformed); stopped.",
    ),
    "bnd_file_crashed": (
        "读取文件 {file} 时读取程序异常退出（文件过大或格式异常），已停止读取。",
        "The reader failed on {file} (the file is too large or malformed); stopped.",
    ),
    "cli_areas_failed": (
        "{file}：{n} 处错误，未写入任何数据",
        "{file}: {n} error(s); nothing was written",
    ),
    # records for people (geo/data/tables.py)
    "col_placement": ("定位方式", "Placed by"),
    "placement_own": ("自有坐标", "own coordinates"),
    "placement_unit": ("按村/社区位置", "at its village/community"),
    "placement_seat": ("仅到街道驻地（示意）", "subdistrict seat only (indicative)"),
    "col_id": ("编号", "Id"),
    "col_subdistrict_code": ("街道代码", "Subdistrict code"),
    "col_unit_code": ("村/社区代码", "Village/community code"),
    "col_program_keys": ("项目代码", "Program keys"),
    "col_placed": ("已定位", "Placed"),
    "yes": ("是", "yes"),
    "total": ("合计", "Total"),
    "district_wide": ("全区（不属任何街道）", "District-wide (no subdistrict)"),
    "completeness_title": ("定位完整度", "How completely records are placed"),
    "completeness_units": ("村/社区已定位", "Villages/communities placed"),
    "completeness_own": ("点位：自有坐标", "Sites: own coordinates"),
    "completeness_by_unit": ("点位：按村/社区", "Sites: by village/community"),
    "completeness_seat": ("点位：仅到街道", "Sites: subdistrict only"),
    "todo_title": ("待定位清单（{n} 项）", "Still to place ({n})"),
    "todo_unit": ("村/社区 · {name}", "Village/community · {name}"),
    "todo_site": ("点位 · {name}", "Site · {name}"),
    "todo_place": ("去定位", "Place it"),
    "todo_none": ("全部已定位。", "Everything is placed."),
    "todo_login": (
        "编辑登录后可在“管理 › 定位”中点击地图放置。",
        "Editors place them by clicking the map under Manage › Place.",
    ),
    "no": ("否", "no"),
    # ledger import (geo/intake, ui/manage.py)
    "entity_units": ("村居位置", "Village/community positions"),
    "import_default_datum": (
        "文件中未注明坐标系的经纬度按此坐标系",
        "Datum of coordinates the file does not name",
    ),
    "import_default_program": (
        "未填项目的行归入此项目",
        "Program of rows that name none",
    ),
    "import_no_default": ("（不指定）", "(none)"),
    "import_preview": (
        "前几行将这样保存（{entity}）：",
        "The first rows as they will be stored ({entity}):",
    ),
    "import_geocoder_off": (
        "未配置地址定位服务：只有地址、没有经纬度的行将按村/社区或街道示意定位。",
        "No geocoding service is configured: rows with an address and no coordinates are placed at their village/community or subdistrict.",
    ),
    "import_geocoding": ("正在定位地址 {n}/{total}", "Geocoding addresses {n}/{total}"),
    "place_what": ("定位对象", "Place"),
    "place_unit": ("村/社区", "A village/community"),
    "place_site": ("点位", "A site"),
    "place_pick_unit": ("选择要定位的村/社区", "Choose the village/community to place"),
    "place_not_yet": (" · 未定位", " · not placed"),
    "place_unit_sites": (
        "该村/社区有 {n} 个点位没有自有坐标：定位后它们将显示在此位置。",
        "{n} site(s) of it have no coordinates of their own: once placed, they are drawn here.",
    ),
    "place_source": ("地图点选（{user}）", "Clicked on the map ({user})"),
    "place_unit_saved": ("已保存村/社区位置。", "The village/community is placed."),
    "entity_sites": ("站点", "Sites"),
    "entity_metrics": ("指标", "Figures"),
    "entity_alliances": ("联建", "Alliances"),
    "layout_sheet": (
        "{file} · 工作表「{sheet}」：{entity}，表头在第 {row} 行",
        "{file} · sheet {sheet!r}: {entity}, header on row {row}",
    ),
    "layout_csv": ("{file}：{entity}，表头在第 {row} 行", "{file}: {entity}, header on row {row}"),
    "layout_above": (
        "跳过表头上方第 {rows} 行：{text}",
        "rows {rows} above the header skipped: {text}",
    ),
    "layout_rows": ("数据 {n} 行", "{n} data rows"),
    "layout_totals": ("；跳过合计行 {n} 行", "; {n} total row(s) skipped"),
    "layout_blank": ("；跳过空行 {n} 行", "; {n} blank row(s) skipped"),
    "layout_notes": (
        "；跳过表下注释、签字行（第 {rows} 行）",
        "; notes and sign-off rows {rows} skipped",
    ),
    "unmatched_value": (
        "「{header}」“{value}”（第 {rows} 行）未能识别，最接近：{candidates}；可用 {hint} 指定",
        "[{header}] {value!r} (rows {rows}) names nothing known; closest: {candidates}; "
        "say what it means with {hint}",
    ),
    "unmatched_none": ("无相近项", "nothing close"),
    "import_unmatched": (
        "以下值未能识别：请选择它指的是什么（选择会被记住，同一单位的下一份台账将直接导入）",
        "These values name nothing known: choose what each means (remembered: the next ledger "
        "of this office goes straight in)",
    ),
    "import_unmatched_value": ("「{header}」列的“{value}”", "“{value}” in column “{header}”"),
    "import_unmatched_rows": ("第 {rows} 行", "rows {rows}"),
    "import_unmatched_pick": ("（请选择）", "(choose)"),
    "import_choose_values": (
        "还有 {n} 个值未能识别：请在上方逐一选择它指的是什么，选完即可导入，无需修改文件。",
        "{n} value(s) name nothing known: choose what each means above; then the file can be "
        "imported as it is.",
    ),
    "layout_sheet_subdistrict": (
        "街道取自工作表名：{name}",
        "subdistrict from the sheet's name: {name}",
    ),
    "layout_remembered": ("（使用已记住的列对应关系）", "(using the remembered column mapping)"),
    "cli_bad_map": ("--map 参数无效：{error}", "bad --map: {error}"),
    "cli_bad_value": ("--value 参数无效：{error}", "bad --value: {error}"),
    "restore_kept": (
        "恢复前的数据已备份到 {path}",
        "the data before the restore was kept in {path}",
    ),
    "import_summary": (
        "已新增 {added} 条，已修改 {changed} 条，未变 {unchanged} 条",
        "{added} added, {changed} changed, {unchanged} unchanged",
    ),
    "import_summary_dry": (
        "将新增 {added} 条，将修改 {changed} 条，未变 {unchanged} 条",
        "{added} would be added, {changed} would be changed, {unchanged} unchanged",
    ),
    # command line
    "cli_invalid": ("{n} 处错误（{where}）", "invalid: {n} error(s) in {where}"),
    "cli_valid": (
        "数据有效：点位 {sites} 个（{kinds}）；指标 {metrics} 项；联建 {alliances} 个；"
        "项目 {programs} 个；街道 {subdistricts} 个；村/社区 {units} 个",
        "ok: {sites} sites ({kinds}); {metrics} metrics; {alliances} alliances; "
        "{programs} programs; {subdistricts} subdistricts; {units} units",
    ),
    "cli_list_sep": ("、", ", "),  # the same as list_sep (join_list); kept for old callers
    "cli_warnings": ("；{n} 条提示", "; {n} warning(s)"),
    "cli_wrote": ("已写入 {path}", "wrote {path}"),
    "cli_wrote_sites": ("已写入 {path}（{n} 个点位）", "wrote {path} ({n} sites)"),
    "cli_import_failed": (
        "{file}：{n} 处错误，未写入任何数据",
        "{file}: {n} error(s); nothing was written",
    ),
    "cli_dry_run": ("试运行：", "dry run: "),
    "cli_unknown_format": (
        "不支持的格式 {suffix}：请用 .xlsx、.csv 或 .geojson",
        "unknown format {suffix!r}: use .xlsx, .csv or .geojson",
    ),
    "cli_not_restored": ("未恢复：{error}", "not restored: {error}"),
    "cli_restored": ("已从 {path} 恢复", "restored {path}"),
    "cli_password": ("密码：", "password: "),
    "cli_password_again": ("再输入一次：", "again: "),
    "cli_password_mismatch": ("两次输入的密码不同或为空", "passwords differ or are empty"),
    # reports: the Word brief and the map picture (geo/reports/brief.py, geo/map/image.py, ui/report.py)
    "brief_button": ("导出汇报材料", "Export briefing (Word)"),
    "brief_image_button": ("导出地图图片", "Export map picture (PNG)"),
    "brief_button_help": (
        "生成 Word 汇报材料：当前范围的地图、上报指标、点位清单、项目简介和工作进展，来源和说明见脚注。",
        "A Word briefing of this view: map, reported figures, records, programs and timeline; sources and caveats in footnotes.",
    ),
    "brief_image_help": (
        "当前范围的地图图片（PNG，1920×1080），含图例、比例尺、指北针和说明，可用于幻灯片和工作群。",
        "This view's map as a picture (PNG, 1920×1080) with legend, scale bar, north arrow and caveats, for slides and chat groups.",
    ),
    "brief_no_font": (
        "本机没有中文字体，无法生成地图图片。请安装 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk）。",
        "This machine has no CJK font, so no map picture can be drawn. Install fonts-noto-cjk (Debian/Ubuntu: apt-get install fonts-noto-cjk).",
    ),
    "brief_file": ("汇报材料", "briefing"),
    "brief_title": (
        "党建引领基层治理情况汇报材料",
        "Party-building-led grassroots governance: briefing",
    ),
    "brief_scope": ("范围：{words}", "Scope: {words}"),
    "brief_made": (
        "市中区党建引领基层治理地图生成 · {date} · 数据版本 {version}",
        "Made by the Shizhong governance map · {date} · data version {version}",
    ),
    "brief_date": ("{year}年{month}月{day}日", "{year}-{month:02d}-{day:02d}"),
    "brief_month": ("{year}年{month}月", "{year}-{month:02d}"),
    "brief_year": ("{year}年", "{year}"),
    "brief_whole_district": ("全区", "whole district"),
    "brief_all_programs": ("全部项目", "all programs"),
    "brief_years": ("{low}—{high}年", "{low}–{high}"),
    "brief_years_from": ("{low}年起", "from {low}"),
    "brief_years_to": ("至{high}年", "up to {high}"),
    "brief_text": ("名称含“{text}”", "name contains “{text}”"),
    "brief_h_overview": ("基本情况", "Overview"),
    "brief_h_map": ("分布地图", "Map"),
    "brief_h_figures": ("主要指标", "Reported figures"),
    "brief_h_records": ("点位清单", "Records"),
    "brief_h_programs": ("项目简介", "Programs"),
    "brief_h_timeline": ("工作进展", "Timeline"),
    "brief_h_notes": ("说明", "Notes"),
    "brief_counts": (
        "{words}范围内，本系统共记录点位 {sites} 个（{kinds}），分布在 {subdistricts} 个街道，涉及 {programs} 个项目；联建 {alliances} 个。以上为按记录统计的数量，不是上报数字。",
        "In {words}, the system holds {sites} sites ({kinds}) in {subdistricts} subdistricts, concerning {programs} programs, and {alliances} alliances. These are counts of the records, not reported figures.",
    ),
    "brief_units": ("下辖村/社区 {n} 个：{names}。", "{n} villages and communities: {names}."),
    "brief_map_title": (
        "市中区党建引领基层治理点位分布示意图",
        "Shizhong District: Party-building-led governance sites",
    ),
    "brief_figure": ("图1 {words}点位分布示意图", "Figure 1. Sites of {words} (schematic map)"),
    "brief_map_sources": ("地图依据：{sources}。", "Map drawn from: {sources}."),
    "brief_no_image": (
        "（本机没有中文字体，未能生成地图图片：请安装 fonts-noto-cjk 后重新导出。）",
        "(No map picture: this machine has no CJK font. Install fonts-noto-cjk and export again.)",
    ),
    "brief_table_figures": (
        "表{n} 上报指标（来源文件报告的数字）",
        "Table {n}. Reported figures (stated by the sources)",
    ),
    "brief_figures_note": (
        "注：数值中的“+”“≥”“≤”“≈”为来源原文的限定（如“百余名”记为 100+）；时间口径“截至某年”为累计数或该年状态。",
        "Note: “+”, “≥”, “≤” and “≈” are the sources' own qualifiers (“over 100” reads 100+); “as of” figures are totals or states as of that year.",
    ),
    "brief_table_records": ("表{n} 点位清单（共 {count} 个）", "Table {n}. Records ({count})"),
    "brief_table_records_summary": (
        "表{n} 各街道点位数（按类型，共 {count} 个）",
        "Table {n}. Records per subdistrict and kind ({count} in all)",
    ),
    "brief_records_many": (
        "当前范围共有点位 {n} 个，逐条列出篇幅过长，下表按街道和类型汇总；全部记录可在“数据”页下载 Excel，或运行 python -m geo export 导出。",
        "This view holds {n} records, too many to list one by one: the table counts them per subdistrict and kind. The Records page (or python -m geo export) exports them all.",
    ),
    "brief_records_appendix": (
        "本范围共有点位 {n} 个，逐个列于文末附表（名称、类型、街道、项目、年份、位置精度和来源）。",
        "This view holds {n} sites, listed one by one in the appendix (name, kind, subdistrict, programs, year, location precision, source).",
    ),
    "brief_appendix": ("附表", "Appendix"),
    "brief_records_sources": ("点位来源：", "Sources of the records: "),
    "brief_no_records": ("当前范围内没有点位记录。", "No record in this view."),
    "brief_total": ("合计", "Total"),
    "brief_table_timeline": ("表{n} 工作进展", "Table {n}. Timeline"),
    "brief_col_no": ("序号", "No."),
    "brief_col_figure": ("指标", "Figure"),
    "brief_col_value": ("数值", "Value"),
    "brief_col_period": ("时间口径", "Period"),
    "brief_col_date": ("时间", "Date"),
    "brief_col_item": ("事项", "Item"),
    "brief_source_prefix": ("（来源：", " (Source: "),
    "brief_source_suffix": ("）", ")"),
    # heading numbers: {cn} in Chinese numerals (一, 二 ...), {n} in digits
    "brief_heading_number": ("{cn}、", "{n}. "),
    "brief_subheading_number": ("（{cn}）", "({n}) "),
    "brief_note_figures": (
        "“主要指标”为来源文件报告的数字，按原文的限定和时间口径列出；“基本情况”中的点位数等为本系统按记录统计的数量，二者口径不同，不宜相互比较。",
        "Reported figures are the numbers the sources state, with their qualifiers and periods; the counts in the overview are counts of the system's records. They are measured differently and should not be compared.",
    ),
    "brief_note_positions": (
        "点位位置：来源只给出所在街道或村/社区的点位，图中画在该街道估计驻地或该村/社区位置附近（虚线圆圈，同一处的点位错开排列），仅为示意位置，不是实际位置。",
        "Positions: a site whose source names only its subdistrict or village is drawn near that subdistrict's estimated seat or the village's position (dashed circle; sites at one place are fanned out): an indicative position, not its real one.",
    ),
    "brief_note_generated": (
        "本材料由“市中区党建引领基层治理地图”根据当前数据自动生成，报送前请核对数字和表述。",
        "This briefing was made automatically by the Shizhong governance map from its current data; check the figures and wording before handing it in.",
    ),
    "mapimage_km": ("{n} 公里", "{n} km"),
    "mapimage_m": ("{n} 米", "{n} m"),
    "mapimage_north": ("北", "N"),
    "mapimage_legend": ("图例", "Legend"),
    "mapimage_empty": ("当前范围内没有点位", "No site in this view"),
    "mapimage_indicative": ("示意位置（非实际位置）", "indicative position (not the real one)"),
    "mapimage_caveat_positions": (
        "{total} 个点位中有 {n} 个只知道所在街道或村/社区，图中按示意位置绘制（虚线圆圈，同一处的点位错开排列），不是实际位置。",
        "{n} of the {total} sites are known only to their subdistrict or village: drawn at indicative positions (dashed circles, fanned out), not their real ones.",
    ),
    "mapimage_caveat_all_positions": (
        "{total} 个点位都只知道所在街道或村/社区，图中按示意位置绘制（虚线圆圈，同一处的点位错开排列），不是实际位置。",
        "All {total} sites are known only to their subdistrict or village: drawn at indicative positions (dashed circles, fanned out), not their real ones.",
    ),
    "mapimage_caveat_approximate": (
        "{total} 个点位中有 {n} 个为近似位置（误差约 1 公里以内），以虚线圆圈表示。",
        "{n} of the {total} sites are at approximate positions (within about a kilometre), drawn as dashed circles.",
    ),
    "mapimage_not_exact": ("近似或示意位置（非精确位置）", "approximate or indicative position"),
    "mapimage_selected": ("所选街道", "Selected subdistrict"),
    "mapimage_caveat_basemap": (
        "本图为离线绘制的示意图，不作为行政区域界线的依据。",
        "A schematic map drawn offline; not an authority on administrative boundaries.",
    ),
    "mapimage_sources": ("来源：{sources}", "Sources: {sources}"),
    "mapimage_made": (
        "市中区党建引领基层治理地图 · {date}",
        "Shizhong governance map · {date}",
    ),
    "cli_unknown_street": (
        "未知街道：{value}（请用9位街道代码或街道名称，如 370103021 或 党家街道）",
        "unknown subdistrict: {value!r} (use its 9-digit code or its name, e.g. 370103021 or 党家街道)",
    ),
    "cli_unknown_program": (
        "未知项目：{value}（可用项目：{keys}）",
        "unknown program: {value!r} (programs: {keys})",
    ),
    "cli_bad_suffix": (
        "输出文件应以 {suffix} 结尾：{path}",
        "the output file must end in {suffix}: {path}",
    ),
    "cli_not_written": ("无法写入 {path}：{error}", "cannot write {path}: {error}"),
    "cli_is_folder": ("这是一个文件夹", "it is a folder"),
    "cli_no_folder": ("所在文件夹不存在或不可写", "its folder does not exist or is not writable"),
    "mapimage_bad_size": (
        "图片尺寸应为“宽x高”（像素），如 1920x1080，而不是 {value}",
        "size must be WIDTHxHEIGHT in pixels, e.g. 1920x1080, not {value!r}",
    ),
    "mapimage_size_range": (
        "图片尺寸 {value} 超出范围（{low} 至 {high}）",
        "size {value} is out of range ({low} to {high})",
    ),
    "cli_bad_size": ("--size 无效：{error}", "bad --size: {error}"),
    "cli_no_font": (
        "本机没有中文字体，无法绘制地图：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）",
        "no CJK font on this machine to draw the map: install fonts-noto-cjk (apt-get install fonts-noto-cjk)",
    ),
    "cli_wrote_brief": ("已写入 {path}（{words}）", "wrote {path} ({words})"),
    # issue 12: made for the officials (freshness, figures, map, sources, big screen, editors)
    "data_updated": ("数据更新于 {when}", "Data updated {when} (Beijing time)"),
    "data_updated_unknown": ("数据更新时间不详", "Data update time unknown"),
    "all_reported": ("全部上报指标（{n} 项）", "All reported figures ({n})"),
    "map_core": ("城区", "Urban core"),
    "map_all": ("全区", "Whole district"),
    "map_core_hint": (
        "放大到城区（街道小而密集处）/ 返回全区",
        "Zoom to the dense urban core / back to the whole district",
    ),
    "sheet_sites": ("点位", "sites"),
    "downloads_note": (
        "下载的文件与上表相同：中文表头，名称代替代码；编号和各类代码在最后几列，供系统对接使用。",
        "The files hold the table above: headers and names for people; the id and the codes "
        "in the last columns, for other systems.",
    ),
    # the audit trail for people (geo/data/tables.py audit_for_people)
    "audit_col_at": ("时间", "When"),
    "audit_col_user": ("操作人", "Who"),
    "audit_col_action": ("操作", "Action"),
    "audit_col_entity": ("对象", "What"),
    "audit_col_record": ("记录", "Record"),
    "audit_col_changes": ("变更内容", "Changes"),
    "audit_col_id": ("变更编号", "Entry id"),
    "audit_col_record_id": ("记录编号", "Record id"),
    "audit_action_insert": ("新增", "added"),
    "audit_action_update": ("修改", "changed"),
    "audit_action_delete": ("删除", "deleted"),
    "audit_action_seed": ("初始数据", "initial data"),
    "audit_action_import": ("导入台账", "ledger import"),
    "audit_action_revert": ("撤销变更", "revert"),
    "audit_action_restore": ("从备份恢复", "restore from a backup"),
    "audit_action_areas": ("载入街道边界", "boundary file loaded"),
    "audit_entity_sites": ("点位", "site"),
    "audit_entity_metrics": ("指标", "figure"),
    "audit_entity_alliances": ("联建", "alliance"),
    "audit_entity_areas": ("街道边界", "subdistrict boundary"),
    "audit_entity_units": ("村/社区位置", "village/community position"),
    "audit_entity_mappings": ("导入列对应", "import column mapping"),
    "audit_entity_store": ("全部数据", "all data"),
    "audit_user_system": ("系统（初始数据）", "system (initial data)"),
    "audit_user_cli": ("命令行（{user}）", "command line ({user})"),
    "audit_added": ("新增记录", "new record"),
    "audit_deleted": ("记录已删除", "record deleted"),
    "audit_unchanged": ("无字段变化", "no field changed"),
    "audit_changed": ("{field}：{old} → {new}", "{field}: {old} → {new}"),
    "audit_changed_opaque": ("{field}已修改", "{field} changed"),
    "audit_field_geometry": ("边界形状", "boundary shape"),
    "audit_field_headers": ("表头", "headers"),
    "audit_field_mapping": ("列对应关系", "column mapping"),
    "audit_empty": ("（空）", "(empty)"),
    "audit_list_sep": ("；", "; "),  # the same as clause_sep (join_clauses); kept
    # lists and clauses as people read them (join_list, join_clauses)
    "list_sep": ("、", ", "),
    "clause_sep": ("；", "; "),
    "list_more": ("另有 {n} 处", "{n} more"),
    "paren_note": ("（{note}）", " ({note})"),
    # a record's problem: where, the column and the value as written, what is wrong
    "issue_at_row": ("{file} 第{row}行", "{file}:{row}"),
    "issue_column": ("「{column}」", "[{column}]"),
    "issue_value": ("“{value}”", "{value!r}"),
    # Chinese leaves out an empty column or value, English shows them (``[]``, ``''``)
    "issue_line": (
        "{where}{column_if_any}{value_if_any}：{problem}（{level}）",
        "{where} {column} {value}: {problem} ({level})",
    ),
    "restore_issue": (
        "{entity} {at}{column}{value}：{problem}",
        "{entity} {at} {column} {value}: {problem}",
    ),
    # the sources page
    "page_sources": ("来源", "Sources"),
    "sources_intro": (
        "本系统每条记录和每个上报数字都注明来源。下面列出所引用的全部文献和导入文件，以及引用它们的记录数。",
        "Every record and reported figure cites its source. These are all the documents and "
        "imported files cited, with the number of records citing each.",
    ),
    "src_col_citation": ("文献", "Document"),
    "src_col_short": ("页面上的引用写法", "As cited on the pages"),
    "src_col_records": ("引用次数", "Cited by"),
    "src_col_reference": ("内部引用键", "Internal key"),
    # sources.csv's licences and notes are written in English only: shown to the readers of
    # ENGLISH_TEXT_LANGS (shows_english_text), the Chinese halves are never shown today
    "src_col_licence": ("许可", "Licence"),
    "src_col_note": ("备注", "Note"),
    "src_licence_line": ("许可：{licence} · 备注：{note}", "Licence: {licence} · Note: {note}"),
    # the big screen (geo/reports/present.py, ui/present.py)
    "present_overview": ("市中区全区概览", "Shizhong District at a glance"),
    "present_overview_text": (
        "全区 {streets} 个街道、{programs} 个党建引领基层治理项目：地图上为全部项目的点位，下方为各项目的时间线事件。",
        "{streets} subdistricts and {programs} programs of Party-building-led governance: the "
        "map shows every program's sites; the ticker below, the programs' dated events.",
    ),
    "present_streets": ("街道", "Subdistricts"),
    "present_programs": ("项目", "Programs"),
    "present_nbs": ("统计局2023年区划", "NBS division codes 2023"),
    "present_units_community": ("下辖社区", "Communities"),
    "present_units_village": ("下辖村", "Villages"),
    "present_events": ("时间线事件", "Dated events"),
    "present_scope": ("实施范围", "Scope"),
    "present_scope_value": ("全区", "District-wide"),
    "present_scope_note": (
        "来源未列出具体点位，按全区展示",
        "the source names no single site: shown district-wide",
    ),
    "present_timeline": ("时间线", "Timeline"),
    "present_ticker": ("大事记", "Events"),
    "present_scope_layer": ("项目范围：全区", "Program scope: the whole district"),
    "present_overview_kind": ("概览", "Overview"),
    "present_holds": ("下辖 {parts}（统计局2023年区划）。", "{parts} (NBS 2023)."),
    "present_holds_communities": ("{n} 个社区", "{n} communities"),
    "present_holds_villages": ("{n} 个村", "{n} villages"),
    "present_and": ("、", " and "),
    "present_schematic": ("范围为示意。", " Area is schematic."),
    "cli_editor_added": (
        "已添加编辑账号 {name}（{path}）：可在“管理”页登录（看板若已在运行而登录不成功，请重启看板）。",
        "editor {name} added to {path}: log in on the Manage page (if the dashboard was "
        "already running and the login fails, restart it).",
    ),
    "cli_editor_updated": (
        "已更新编辑账号 {name} 的密码（{path}）（看板若已在运行而新密码无效，请重启看板）。",
        "password of editor {name} replaced in {path} (if the dashboard was already running "
        "and the new password fails, restart it).",
    ),
    "cli_editor_failed": ("未写入：{error}", "nothing written: {error}"),
    "editor_bad_name": (
        "用户名只能由 1 至 64 个文字、数字或 . _ @ - 组成，收到 {name}",
        "the name must be 1-64 letters, digits or . _ @ -, got {name}",
    ),
    "editor_bad_toml": (
        "{path} 不是有效的 TOML 文件（{error}），请先改正",
        "{path} is not valid TOML ({error}); fix it first",
    ),
    "editor_not_table": (
        "{path} 中的 editors 应为一个表（[editors]），不是单个值",
        "{path}: editors must be a table ([editors]), not a value",
    ),
    "sso_refused": (
        "账号 {user} 已通过统一身份认证登录，但不在可编辑人员名单中（secrets.toml 的 [editing] allowed）。如需编辑权限，请联系管理员；也可退出后换用其他账号。",
        "{user} is signed in through single sign-on but is not among the editors "
        "([editing] allowed in secrets.toml). Ask the administrator, or sign out and use "
        "another account.",
    ),
    "src_cited": ("{n} 条记录引用", "cited by {n} records"),
    "src_reference_only": (
        "参考数据（地图轮廓、街道驻地等），无记录直接引用",
        "reference data (the map's outline, subdistrict seats), cited by no record",
    ),
    # command line help (geo/cli.py)
    "cli_help_lang": (
        "界面语言：zh（默认）或 en",
        "zh (default) or en",
    ),
    "cli_help_validate": (
        "检查数据文件；有错误时退出码为 1",
        "check the data files; exit 1 on errors",
    ),
    "cli_help_template": (
        "写出空白 Excel 模板",
        "write the empty Excel template",
    ),
    "cli_help_import": (
        "导入台账或模板（.xlsx、.xls、.csv；全部成功才写入）",
        "import a ledger or the template (.xlsx, .xls, .csv; all or nothing)",
    ),
    "cli_help_dry_run": (
        "只检查并报告，不写入",
        "check and report, write nothing",
    ),
    "cli_help_map": (
        "把表头为 HEADER 的列读作字段 FIELD（如 阵地名称=name；FIELD 为 ignore 时跳过该列）",
        "read the column HEADER as FIELD (e.g. 阵地名称=name; FIELD ignore skips it)",
    ),
    "cli_help_value": (
        "未能识别的值指的是什么（如 项目类别:新就业=新就业群体党建；可重复），记住后同一单位的下一份台账直接导入",
        "what an unmatched value means (e.g. 项目类别:新就业=新就业群体党建; repeatable); "
        "remembered for the next ledger of that office",
    ),
    "cli_help_datum": (
        "文件未注明坐标系时经纬度所用的坐标系（如 GCJ-02）",
        "datum of coordinates the file does not name (GCJ-02 ...)",
    ),
    "cli_help_program": (
        "未填项目的行归入的项目（单一项目的台账）",
        "the program of rows that name none (a ledger of one program)",
    ),
    "cli_help_user": (
        "记入变更记录的操作人",
        "name for the audit trail",
    ),
    "cli_help_areas": (
        "载入官方街道边界文件（先报告，再一次性写入）",
        "load an official subdistrict boundary file (report, then one transaction)",
    ),
    "cli_help_areas_file": (
        ".zip、.shp、.gpkg、.geojson/.json 或 .kml 文件",
        ".zip, .shp, .gpkg, .geojson/.json or .kml",
    ),
    "cli_help_report_only": (
        "只报告，不写入",
        "report only, write nothing",
    ),
    "cli_help_code_field": (
        "9 位或 12 位代码所在字段（默认自动识别）",
        "the field of 9/12-digit codes (default: found)",
    ),
    "cli_help_name_field": (
        "名称所在字段（默认自动识别）",
        "the field of names (default: found)",
    ),
    "cli_help_crs": (
        "文件缺少或写错坐标系时，指定坐标系",
        "the coordinates' CRS if the file's is missing or wrong",
    ),
    "cli_help_export": (
        "导出数据（.xlsx 模板格式、.csv、.geojson）",
        "export the store (.xlsx template, .csv, .geojson)",
    ),
    "cli_help_backup": (
        "把数据库（SQLite 或 PostgreSQL）备份为一个文件",
        "copy the store (SQLite or PostgreSQL) into one file",
    ),
    "cli_help_restore": (
        "用备份文件替换当前数据",
        "replace the store with a backup file",
    ),
    "cli_help_hash_password": (
        "生成编辑密码的散列值（写入 secrets.toml 用）",
        "hash an editor password for secrets",
    ),
    "cli_help_brief": (
        "导出某一范围的 Word 汇报材料：地图、指标、点位、来源",
        "the Word brief (汇报材料) of a view: map, figures, records, sources",
    ),
    "cli_help_map_image": (
        "导出某一范围的地图图片（含图例、比例尺和说明）",
        "the map of a view as a picture, with legend, scale bar and caveats",
    ),
    "cli_help_street": (
        "街道：9位代码或名称（如 党家街道）",
        "a subdistrict: 9-digit code or name",
    ),
    "cli_help_program_key": ("项目代码（如 cross_village）", "a program key (cross_village ...)"),
    "cli_help_out": ("要写入的文件", "the file to write"),
    "cli_help_size": ("图片大小：宽x高（像素）", "WIDTHxHEIGHT in pixels"),
    "cli_help_add_editor": (
        "添加编辑账号（输入两次密码）",
        "add an editor account (asks for the password twice)",
    ),
    "cli_help_name": (
        "登录用户名",
        "the login name",
    ),
    "cli_help_secrets": (
        "secrets 文件（默认：%(default)s）",
        "the secrets file (default: %(default)s)",
    ),
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
    "unit": ("仅到村/社区（村居位置）", "village/community only (its position)"),
}


#: The fields a ledger's columns may be mapped to, as people name them.
FIELD_LABELS = {
    "id": ("编号", "Id"),
    "name": ("名称", "Name"),
    "kind": ("类型", "Kind"),
    "subdistrict": ("街道", "Subdistrict"),
    "unit": ("村/社区", "Village/community"),
    "programs": ("项目", "Programs"),
    "program": ("项目", "Program"),
    "year": ("年份", "Year"),
    "description": ("说明", "Description"),
    "source": ("来源", "Source"),
    "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"),
    "lonlat": ("经纬度", "Coordinates"),
    "datum": ("坐标系", "Datum"),
    "address": ("地址", "Address"),
    "location_precision": ("位置精度", "Location precision"),
    "version": ("版本", "Version"),
    "name_zh": ("指标名称", "Figure name"),
    "name_en": ("英文名称", "English name"),
    "value": ("数值", "Value"),
    "qualifier": ("限定", "Qualifier"),
    "scope_type": ("范围类型", "Scope type"),
    "scope": ("范围", "Scope"),
    "members": ("成员", "Members"),
    "inferred": ("推断成员", "Inferred members"),
    "membership_note": ("成员说明", "Membership note"),
    "": ("（忽略）", "(ignored)"),
}

#: Validation and import messages (an Issue's ``key``).
MESSAGES: dict[str, tuple[str, str]] = {
    "missing_column": ("缺少此列", "column is missing"),
    "duplicate": ("值重复，必须唯一", "duplicate value; must be unique"),
    "empty": ("不能为空", "must not be empty"),
    "not_number": ("不是数字", "not a number"),
    "not_year": ("不是有效年份（1949-2100）", "not a year (1949-2100)"),
    "unknown_kind": (
        "不是已知类型，应为 " + "、".join(KIND_LABELS[k][0] for k in vocab.KINDS) + " 之一",
        "not a known kind; expected one of " + ", ".join(vocab.KINDS),
    ),
    "unknown_precision": (
        "不是已知的位置精度，应为 精确、近似、街道级、区级、村居级 之一",
        "not a known precision; expected one of " + ", ".join(vocab.PRECISIONS),
    ),
    "unknown_qualifier": (
        "不是已知的限定词，应为 " + "、".join(vocab.QUALIFIERS) + " 之一",
        "not a known qualifier; expected one of " + ", ".join(vocab.QUALIFIERS),
    ),
    "unknown_scope_type": (
        "不是已知范围，应为 " + "、".join(vocab.SCOPE_TYPES) + " 之一",
        "not a known scope; expected one of " + ", ".join(vocab.SCOPE_TYPES),
    ),
    "unknown_alliance_kind": ("不是已知的联建类型", "not a known alliance kind"),
    "unknown_subdistrict": (
        "不是市中区的街道代码（统计局2023版，9位）",
        "not a subdistrict code of 370103 (NBS 2023, 9 digits)",
    ),
    "unknown_unit": (
        "不是市中区的村/社区代码（统计局2023版，12位）",
        "not a village/community code of 370103 (NBS 2023, 12 digits)",
    ),
    "unit_not_in_subdistrict": ("该村/社区不属于所填街道", "unit belongs to another subdistrict"),
    "unknown_program": ("不是已知的项目代码", "not a known program key"),
    "unknown_scope": (
        "scope_code 与 scope_type 不对应",
        "scope_code names nothing of this scope_type",
    ),
    "inferred_not_member": ("推断成员不在成员列表中", "inferred code is not among member_codes"),
    "subdistrict_required": (
        "除位置精度为 district 外，必须填写街道代码",
        "subdistrict_code is required unless location_precision is district",
    ),
    "bad_color": ("不是 #RRGGBB 颜色", "not a #RRGGBB colour"),
    "outside_district": ("坐标不在市中区范围内", "point lies outside the district outline"),
    "outside_subdistrict": ("坐标不在所属街道范围内", "point lies outside its subdistrict's area"),
    "not_yes_no": ("应为 是 或 否（true/false）", "must be true or false (是 or 否)"),
    "unknown_period": (
        "不是已知的时间口径，应为 年度（year）或 截至（to_date）",
        "not a known period; expected year (that year's value) or to_date (as of that year)",
    ),
    "period_needs_year": (
        "“截至”口径的指标必须填写截至的年份",
        "a to-date figure needs the year it is as of",
    ),
    "unknown_detail_kind": (
        "不是已知的条目类型，应为 " + "、".join(vocab.DETAIL_KINDS) + " 之一",
        "not a known kind of item; expected one of " + ", ".join(vocab.DETAIL_KINDS),
    ),
    "unknown_source": (
        "所引来源不在 sources.csv 中（应为 来源键 或 来源键#章节，或导入文件）",
        "cites no document of sources.csv (KEY or KEY#SECTION) and no imported file",
    ),
    "unknown_section": ("不是该来源的章节", "not a section of that source"),
    "no_unit": ("指标缺少单位", "metric has no unit"),
    # importing files
    "unknown_column": ("无法识别的列，已忽略", "unknown column, ignored"),
    "serial_column": ("序号列，已忽略", "a running number, ignored"),
    "total_row": ("合计/小计行，已跳过", "a total row, skipped"),
    "note_row": ("表下注释或签字行，已跳过", "a note or sign-off row under the data, skipped"),
    "formula_text": (
        "内容以 = + - @ 开头，像是公式，不能作为名称",
        "begins with = + - or @ like a formula; not taken as a name",
    ),
    "not_coordinate_pair": (
        "不是一对经纬度（如 117.0012,36.6512）",
        "not a pair of coordinates (e.g. 117.0012,36.6512)",
    ),
    "bad_value_choice": ("指定的目标不是已知的名称或代码", "the chosen target names nothing known"),
    "bad_value_column": ("文件中没有此列", "the file has no such column"),
    "bad_mapping": ("列的对应关系无效", "the column mapping is not valid"),
    "address_not_found": (
        "地址未能定位，已按所属村/社区或街道示意定位",
        "the address was not found; placed at its village/community or subdistrict",
    ),
    "address_offline": (
        "未配置地址定位服务（离线），已按所属村/社区或街道示意定位",
        "no geocoding service is configured (offline); placed at its village/community or subdistrict",
    ),
    "geocoder_failed": (
        "地址定位服务暂不可用，相关行已按街道示意定位",
        "the geocoding service could not be reached; those rows were placed at their subdistrict",
    ),
    "unknown_sheet": (
        "未找到表头（名称、类型等列），此工作表已忽略",
        "no header row found (name, kind ...): sheet ignored",
    ),
    "unsupported_file": (
        "不支持的文件类型：请用 Excel（.xlsx、.xls）或 CSV 文件",
        "not a supported file: use Excel (.xlsx, .xls) or CSV",
    ),
    "unreadable_file": ("文件无法读取", "the file cannot be read"),
    "file_too_large": (
        "文件过大或格式异常，未写入任何数据",
        "the file is too large or malformed; nothing was written",
    ),
    "file_timeout": (
        "文件读取超时（可在设置中调整时限），未写入任何数据",
        "reading the file took too long (the limit is a setting); nothing was written",
    ),
    "file_crashed": (
        "文件格式异常，读取程序出错，未写入任何数据",
        "the file is malformed and its reader failed; nothing was written",
    ),
    "empty_file": ("文件中没有数据行", "the file holds no data rows"),
    "ambiguous_unit": (
        "有多个同名村/社区，请填写12位代码或所属街道",
        "several villages/communities have this name; use the 12-digit code "
        "or fill in the subdistrict",
    ),
    "not_version": (
        "版本必须为整数（请保持导出时的值）",
        "version must be a whole number (leave it as exported)",
    ),
    "stale_version": (
        "导出后此记录已被他人修改，请重新导出后再修改",
        "this record was changed by someone else after this file was exported; "
        "export again and redo the edit",
    ),
    "no_location": (
        "既无经纬度，也无可定位的街道或村/社区",
        "no coordinates and no subdistrict or village to place it",
    ),
    "lonlat_pair": ("经度和纬度必须同时填写", "longitude and latitude must be given together"),
    "not_coordinate": (
        "不是有效坐标（十进制度或 116°58′30″）",
        "not a coordinate (decimal degrees or 116°58′30″)",
    ),
    "unknown_datum": (
        "未知坐标系，应为 WGS-84、GCJ-02 或 BD-09",
        "unknown datum; use WGS-84, GCJ-02 or BD-09",
    ),
    "datum_required": (
        "填写经纬度时必须注明坐标系（WGS-84、高德 GCJ-02、百度 BD-09）",
        "datum is required with coordinates (WGS-84, GCJ-02 from AMap, BD-09 from Baidu)",
    ),
}


def check_lang(lang: str) -> str:
    """``lang`` if it is a supported language (``zh``, ``en``), else ValueError naming it.

    Parameters
    ----------
    lang
        The language asked for.

    Returns
    -------
    str
        ``lang``, unchanged.

    Raises
    ------
    ValueError
        If ``lang`` is not in :data:`LANGS` (the message shows the value and its type).
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r} ({type(lang).__name__})")
    return lang


def pick(pair: tuple[str, str], lang: str) -> str:
    """The ``lang`` half of a ``(zh, en)`` pair: the one place the language is chosen.

    Parameters
    ----------
    pair
        ``(Chinese, English)`` texts.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        ``pair[1]`` for English, ``pair[0]`` for Chinese.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pair[1] if check_lang(lang) == "en" else pair[0]


def localized(stem: str, lang: str) -> str:
    """The column holding ``stem`` in ``lang``: ``localized("name", "en") == "name_en"``.

    Parameters
    ----------
    stem
        The column name without its language suffix (``"name"``, ``"title"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        ``f"{stem}_{lang}"``.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return f"{stem}_{check_lang(lang)}"


def t(key: str, lang: str = "zh", **values) -> str:
    """The label ``key`` in ``lang``; ``values`` fill ``{placeholders}``. Unknown keys echo.

    Parameters
    ----------
    key
        A UI label key (``"app_title"``, ``"filter_street"`` ...).
    lang
        ``"zh"`` or ``"en"``.
    **values
        Values for the label's ``{placeholders}`` (``str.format``); without any, the text is
        returned as it is (braces included).

    Returns
    -------
    str
        The label, or ``key`` itself if it is not a known label.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    text = pick(_LABELS.get(key, (key, key)), lang)
    return text.format(**values) if values else text


def message(key: str, lang: str = "zh") -> str:
    """The text of validation/import message ``key`` in ``lang``. Unknown keys echo.

    Parameters
    ----------
    key
        A key of :data:`MESSAGES` (``"no_location"``, ``"unknown_datum"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The message, or ``key`` itself if it is not a known message.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(MESSAGES.get(key, (key, key)), lang)


def field_label(field: str, lang: str = "zh") -> str:
    """How people name a ledger field (``""``: an ignored column).

    Parameters
    ----------
    field
        A field name of :data:`FIELD_LABELS` (``"id"``, ``"name"``, ``"kind"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The field's label, or ``field`` itself if it is not a known field.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(FIELD_LABELS.get(field, (field, field)), lang)


def kind_label(kind: str, lang: str = "zh") -> str:
    """How people name a kind of site (村, 社区, 党群服务中心 ...).

    Parameters
    ----------
    kind
        A kind of :data:`geo.text.vocab.KINDS` (``"village"``, ``"station"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The kind's label, or ``kind`` itself if it is not a known kind.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(KIND_LABELS.get(kind, (kind, kind)), lang)


def precision_label(precision: str, lang: str = "zh") -> str:
    """How people name a location precision (精确位置, 仅到街道（示意位置） ...).

    Parameters
    ----------
    precision
        A precision of :data:`PRECISION_LABELS` (``"exact"``, ``"approximate"``,
        ``"subdistrict"``, ``"district"``, ``"unit"``).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The precision's label, or ``precision`` itself if it is not a known precision.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(PRECISION_LABELS.get(precision, (precision, precision)), lang)


def list_separator(lang: str = "zh") -> str:
    """What separates the items of a list people read: ``、`` in Chinese, ``", "`` in English.

    Parameters
    ----------
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The separator (the label ``list_sep``).

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return t("list_sep", lang)


def join_list(items: Iterable[object], lang: str = "zh") -> str:
    """Names (subdistricts, programs, kinds, files ...) as one list people read.

    Parameters
    ----------
    items
        The items, in order; each is written with ``str``.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        ``["甲", "乙"]`` -> ``"甲、乙"`` in Chinese, ``"甲, 乙"`` in English; ``""`` if empty.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return list_separator(lang).join(map(str, items))


def join_clauses(items: Iterable[object], lang: str = "zh") -> str:
    """Clauses that may hold commas themselves (citations, problems, changes) as one text.

    Parameters
    ----------
    items
        The clauses, in order; each is written with ``str``.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The clauses joined by ``；`` in Chinese, ``"; "`` in English (the label ``clause_sep``).

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return t("clause_sep", lang).join(map(str, items))


def preferred_langs(lang: str = "zh") -> tuple[str, ...]:
    """The languages to look in for a text, ``lang`` first, then the others as a fallback.

    Parameters
    ----------
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    tuple of str
        ``("en", "zh")`` for English, ``("zh", "en")`` for Chinese.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return (check_lang(lang), *(other for other in LANGS if other != lang))


def shows_english_text(lang: str = "zh") -> bool:
    """Whether text written only in English is shown as written to readers of ``lang``.

    Parameters
    ----------
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    bool
        True for the languages of :data:`ENGLISH_TEXT_LANGS` (English): the licences and notes
        of sources.csv are listed, a citation written in English is given in full. Otherwise
        such text is left out or replaced by its short form in ``lang``.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return check_lang(lang) in ENGLISH_TEXT_LANGS
