"""The command line (python -m geo): its messages and its help.

Each entry: key -> (Chinese, English). :mod:`geo.text.labels` joins the tables."""

LABELS: dict[str, tuple[str, str]] = {
    # command line
    "cli_invalid": ("{n} 处错误（{where}）", "invalid: {n} error(s) in {where}"),
    "cli_valid": (
        "数据有效：点位 {sites} 个（{kinds}）；指标 {metrics} 项；联建 {alliances} 个；"
        "项目 {programs} 个；街道 {subdistricts} 个；村/社区 {units} 个",
        "ok: {sites} sites ({kinds}); {metrics} metrics; {alliances} alliances; "
        "{programs} programs; {subdistricts} subdistricts; {units} units",
    ),
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
