"""Lists and clauses as people read them, and a record's problem as one line.

Each entry: key -> (Chinese, English). :mod:`geo.text.labels` joins the tables."""

LABELS: dict[str, tuple[str, str]] = {
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
}
