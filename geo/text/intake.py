"""What comes in: ledger imports and official boundary files (their checks, limits and
findings).

Each entry: key -> (Chinese, English). :mod:`geo.text.labels` joins the tables."""

LABELS: dict[str, tuple[str, str]] = {
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
}
