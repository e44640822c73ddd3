"""User-facing labels in Chinese (default) and English: the one place UI text lives."""

from __future__ import annotations

from geo import vocab

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
    "backup_only_sqlite": (
        "文件备份仅适用于内置 SQLite 存储。",
        "File backups are for the built-in SQLite store.",
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
    # citations (geo.citations)
    "cite_import": ("导入文件《{name}》", "Imported file “{name}”"),
    "cite_section": ("{citation}（{section}）", "{citation}, section “{section}”"),
    "cite_none": ("未注明来源", "No source given"),
    # periods of reported figures (geo.kpi.format_period)
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
    # boundary files (geo/boundaries.py, ui/boundaries.py)
    # ledger import (geo/intake, ui/manage.py)
    "entity_units": ("村居位置", "Village/community positions"),
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
    "layout_sheet_subdistrict": (
        "街道取自工作表名：{name}",
        "subdistrict from the sheet's name: {name}",
    ),
    "layout_remembered": ("（使用已记住的列对应关系）", "(using the remembered column mapping)"),
    "cli_bad_map": ("--map 参数无效：{error}", "bad --map: {error}"),
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
    "cli_list_sep": ("、", ", "),
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
    # reports: the Word brief and the map picture (geo/brief.py, geo/mapimage.py, ui/report.py)
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
    """``lang`` if it is a supported language (``zh``, ``en``), else ValueError naming it."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r} ({type(lang).__name__})")
    return lang


def pick(pair: tuple[str, str], lang: str) -> str:
    """The ``lang`` half of a ``(zh, en)`` pair: the one place the language is chosen."""
    return pair[1] if check_lang(lang) == "en" else pair[0]


def localized(stem: str, lang: str) -> str:
    """The column holding ``stem`` in ``lang``: ``localized("name", "en") == "name_en"``."""
    return f"{stem}_{check_lang(lang)}"


def t(key: str, lang: str = "zh", **values) -> str:
    """The label ``key`` in ``lang``; ``values`` fill ``{placeholders}``. Unknown keys echo."""
    text = pick(_LABELS.get(key, (key, key)), lang)
    return text.format(**values) if values else text


def message(key: str, lang: str = "zh") -> str:
    """The text of validation/import message ``key`` in ``lang``. Unknown keys echo."""
    return pick(MESSAGES.get(key, (key, key)), lang)


def field_label(field: str, lang: str = "zh") -> str:
    """How people name a ledger field (``""``: an ignored column)."""
    return pick(FIELD_LABELS.get(field, (field, field)), lang)


def kind_label(kind: str, lang: str = "zh") -> str:
    return pick(KIND_LABELS.get(kind, (kind, kind)), lang)


def precision_label(precision: str, lang: str = "zh") -> str:
    return pick(PRECISION_LABELS.get(precision, (precision, precision)), lang)
