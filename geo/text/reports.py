"""What goes out: the Word brief and the map picture.

Each entry: key -> (Chinese, English). :mod:`geo.text.labels` joins the tables."""

LABELS: dict[str, tuple[str, str]] = {
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
}
