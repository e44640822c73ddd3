"""Who may write what: roles, subdistrict scope, review before publishing, verified locations.

Each entry: key -> (Chinese, English). :mod:`geo.text.labels` joins the tables."""

LABELS: dict[str, tuple[str, str]] = {
    "role_admin": ("区级管理员", "District administrator"),
    "role_street": ("街道编辑", "Subdistrict editor"),
    "role_reviewer": ("审核", "Reviewer"),
    "scope_district": ("全区", "the whole district"),
    "import_pending": (
        "（已提交审核，发布后对外显示）",
        " (submitted for review: shown once published)",
    ),
    "editor_no_street": (
        "街道编辑须至少负责一个街道（--street 党家街道）",
        "a subdistrict editor keeps at least one subdistrict (--street NAME)",
    ),
    "cli_unknown_user": (
        "未知账号 {name}（{path} 中没有）：请先用 add-editor 添加，或不加 --user 以服务器操作员身份执行",
        "unknown account {name} (not in {path}): add it with add-editor, or leave out --user"
        " to act as the server's operator",
    ),
    "cli_refused": (
        "未写入：{name} 无权修改{where}的数据",
        "nothing written: {name} may not change the records of {where}",
    ),
    "cli_help_role": (
        "角色：admin（区级管理员）、street（街道编辑）、reviewer（审核）",
        "role: admin (district administrator), street (subdistrict editor), reviewer",
    ),
    "cli_help_editor_street": (
        "街道编辑负责的街道（名称或代码，可重复）",
        "a subdistrict the editor keeps (name or code; repeat for several)",
    ),
    "cli_help_password_stdin": (
        "从标准输入读取密码（第一行），便于脚本批量设置",
        "read the password from standard input (its first line), for scripted set-up",
    ),
    "account_line": ("{user}（{role}）", "{user} ({role})"),
    "share_of": ("{v} / {n}（{p}）", "{v} / {n} ({p})"),
    "completeness_verified": ("近12个月已核实", "Verified in the last 12 months"),
    "audit_col_submitted_by": ("提交人", "Submitted by"),
    "audit_action_verify": ("核实", "verified"),
    "audit_entity_verifications": ("点位核实", "site verification"),
    "tab_review": ("审核发布", "Review"),
    "tab_submissions": ("我的提交", "My submissions"),
    "review_intro": (
        "街道编辑提交的变更在发布前只有编辑和审核人员可见；发布后才在地图、大屏、汇报材料和导出中显示。",
        "Changes submitted by subdistrict editors are seen only by editors and reviewers until"
        " published; then they show on the map, the big screen, the briefs and the exports.",
    ),
    "review_none": ("没有待审核的提交。", "Nothing waits for review."),
    "review_item": (
        "{status} · {title} · {user} · {at} · {streets} · {n} 条变更",
        "{status} · {title} · {user} · {at} · {streets} · {n} change(s)",
    ),
    "status_pending": ("待审核", "Pending review"),
    "status_returned": ("已退回", "Returned"),
    "status_published": ("已发布", "Published"),
    "review_publish": ("发布", "Publish"),
    "review_return": ("退回", "Return"),
    "review_reason": ("退回原因（编辑可见）", "Why it is returned (the editor sees it)"),
    "review_reason_needed": ("退回前请填写原因。", "Say why before returning it."),
    "review_published": ("已发布：{title}", "Published: {title}"),
    "review_returned": ("已退回：{title}", "Returned: {title}"),
    "review_conflict": (
        "无法发布：{error}。请退回并说明原因，由编辑重新提交。",
        "Cannot publish: {error}. Return it with that reason for the editor to submit again.",
    ),
    "submissions_none": ("您还没有提交过变更。", "You have submitted nothing yet."),
    "submission_returned": ("退回原因：{reason}（{who}）", "Returned: {reason} ({who})"),
    "submission_published": ("已由 {who} 发布", "Published by {who}"),
    "saved_pending": (
        "已提交审核：审核发布后对外显示。",
        "Submitted for review: shown once published.",
    ),
    "scope_refused": (
        "未写入：{user} 无权修改{where}的数据。",
        "Nothing written: {user} may not change the records of {where}.",
    ),
    "brief_note_verified": (
        "核实情况：本材料涉及的 {n} 个点位中，近12个月经实地核实位置与信息的有 {v} 个（{p}）；其余以台账和来源材料为准。",
        "Verification: of the {n} sites in this briefing, {v} ({p}) had their location and details"
        " verified on the spot in the last 12 months; the rest rest on the ledgers and sources.",
    ),
    "tab_with_count": ("{tab}（{count}）", "{tab} ({count})"),
    "pending_count": ("待审核 {n} 项", "{n} waiting for review"),
    "verify_title": ("核实", "Verification"),
    "verify_note": ("核实方式（如：实地走访）", "How (e.g. a visit)"),
    "verify_button": (
        "确认位置与信息已核实（今天）",
        "Confirm location and details verified (today)",
    ),
    "verify_last": ("上次核实：{on}，核实人 {by}", "Last verified {on} by {by}"),
    "verify_never": ("尚未核实", "Never verified"),
    "verify_saved": ("已记录核实", "Verification recorded"),
    "todo_verify_title": (
        "待核实点位（{n}）：近12个月未核实",
        "To verify ({n}): not verified in the last 12 months",
    ),
    "todo_verify_none": (
        "所有点位近12个月内均已核实。",
        "Every site was verified in the last 12 months.",
    ),
    "todo_verify_item": ("{name}（{street}）· {when}", "{name} ({street}) · {when}"),
}
