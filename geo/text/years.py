"""The map through the years: the year slider, 播放, end years, the 历年变化 slide.

Each entry: key -> (Chinese, English). :mod:`geo.text.labels` joins the tables."""

LABELS: dict[str, tuple[str, str]] = {
    # the year view in the filter panel (ui.context)
    "year_view": ("逐年查看", "Year by year"),
    "year_view_help": (
        "地图只显示所选年份当年已建成、尚未撤并或停用的点位；拖到最左为全部年份",
        "The map shows only the sites built by the chosen year and not yet merged or closed; "
        "all the way left shows every year",
    ),
    "year_view_all": ("全部年份", "All years"),
    "year_view_year": ("{year}年", "{year}"),
    "year_view_caption": (
        "{year}年：显示当年已建成、未撤并的点位",
        "{year}: the sites built by then and not merged or closed",
    ),
    "year_view_undated": ("；未注明年份的 {n} 处不显示", "; {n} without a year are not shown"),
    "year_play": ("播放", "Play"),
    "year_pause": ("暂停", "Pause"),
    "year_play_help": (
        "从第一年起逐年播放地图，每 {s} 秒一年，到最后一年停止",
        "Play the map year by year from the first, one year every {s} s, to the last",
    ),
    "year_playing": ("正在播放：第 {n} 年，共 {total} 年", "Playing: year {n} of {total}"),
}

#: Ledger fields of the year view (joined into :data:`geo.text.labels.FIELD_LABELS`).
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "end_year": ("撤并/停用年份", "Year merged or closed"),
}

#: Validation messages of the year view (joined into :data:`geo.text.labels.MESSAGES`).
MESSAGES: dict[str, tuple[str, str]] = {
    "end_before_start": (
        "撤并/停用年份早于建成年份",
        "the year merged or closed is before the year built",
    ),
}
