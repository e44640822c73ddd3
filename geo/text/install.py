"""Installing and upgrading: the upgrade command's report and the Manage page's section on
shipped data corrections that met an office's edit (conflicts).

Each entry: key -> (Chinese, English). :mod:`geo.text.labels` joins the tables."""

LABELS: dict[str, tuple[str, str]] = {
    # python -m geo upgrade (install.sh runs it)
    "cli_help_upgrade": (
        "升级后运行：迁移数据库结构，带入随新版本发布的数据更正（安装脚本会自动运行）",
        "after an upgrade: migrate the store and bring in the data corrections shipped with "
        "the new version (install.sh runs it)",
    ),
    "cli_help_upgrade_data": (
        "随版本发布的数据目录（默认为程序自带的 data/）",
        "the shipped data folder (default: the app's data/)",
    ),
    "cli_help_upgrade_downgrade": (
        "只把数据库结构退回到指定的迁移版本（回滚到旧版本前用）",
        "only take the store's schema back to this migration (before a rollback)",
    ),
    "upgrade_schema": ("数据库结构：{revision}", "store schema: {revision}"),
    "upgrade_downgraded": (
        "数据库结构已退回到 {revision}，数据保留",
        "store schema taken back to {revision}; the data is kept",
    ),
    "upgrade_summary": (
        "随版本发布的数据：更正 {corrected} 条，新增 {added} 条，删除 {removed} 条，"
        "无变化 {unchanged} 条；冲突 {conflicts} 条",
        "shipped data: {corrected} corrected, {added} added, {removed} removed, "
        "{unchanged} unchanged; {conflicts} conflict(s)",
    ),
    "upgrade_corrected": (
        "  已更正：{entity}「{name}」（{id}）",
        "  corrected: {entity} {name} ({id})",
    ),
    "upgrade_added": ("  已新增：{entity}「{name}」（{id}）", "  added: {entity} {name} ({id})"),
    "upgrade_removed": (
        "  已删除：{entity}「{name}」（{id}）",
        "  removed: {entity} {name} ({id})",
    ),
    "upgrade_conflict": (
        "  冲突：{entity}「{name}」（{id}）已被修改过，保留现有版本；新发布的版本在这些字段上不同：{fields}",
        "  conflict: {entity} {name} ({id}) was edited here and keeps that version; the "
        "shipped version differs in: {fields}",
    ),
    "upgrade_conflict_deleted": (
        "  冲突：{entity}「{name}」（{id}）已被删除，新发布的版本未带入",
        "  conflict: {entity} {name} ({id}) was deleted here; the shipped version was not "
        "brought in",
    ),
    "upgrade_conflict_unshipped": (
        "  冲突：{entity}「{name}」（{id}）已被修改过，新版本不再发布这条记录，仍保留",
        "  conflict: {entity} {name} ({id}) was edited here and is no longer shipped; it is kept",
    ),
    "upgrade_conflict_hint": (
        "有冲突的记录保留了现有版本；请区级管理员在「管理」页的「发布的数据更正」中逐条处理。",
        "records in conflict keep the version here: an administrator settles each on the "
        "Manage page (shipped data corrections).",
    ),
    "upgrade_failed": (
        "数据升级失败：{error}。没有写入任何更正，请重新运行",
        "the upgrade failed: {error}; no correction was written, run it again",
    ),
    "audit_action_upgrade": (
        "随新版本发布的数据更正",
        "data correction shipped with a new version",
    ),
    # the Manage page
    "shipped_title": ("发布的数据更正：冲突 {n} 条", "Shipped data corrections: {n} conflict(s)"),
    "shipped_intro": (
        "新版本随附了对下列记录的更正，但这些记录在本系统中已被修改（或删除），所以保留了现有版本。"
        "请逐条选择：采用发布的版本，或保留现有版本。",
        "The new version shipped corrections of these records, but they had been edited (or "
        "deleted) here, so the version here was kept. For each, take the shipped version or "
        "keep the one here.",
    ),
    "shipped_col_field": ("字段", "Field"),
    "shipped_col_office": ("现有版本", "Version here"),
    "shipped_col_shipped": ("发布的版本", "Shipped version"),
    "shipped_missing": ("（无此记录）", "(no such record)"),
    "shipped_take": ("采用发布的版本", "Take the shipped version"),
    "shipped_keep": ("保留现有版本", "Keep the version here"),
    "shipped_taken": ("已采用发布的版本：{name}", "shipped version taken: {name}"),
    "shipped_kept": ("已保留现有版本：{name}", "version here kept: {name}"),
}
