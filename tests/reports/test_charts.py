"""geo.reports.charts: bars count records (a site in two programs counts in each), clickable
codes."""

from __future__ import annotations

from geo.data import io
from geo.data.filters import RecordFilter, filter_records
from geo.reports import charts


def test_records_by_subdistrict_stacks_programs_with_codes():
    sites, subdistricts, programs = io.load_sites(), io.load_subdistricts(), io.load_programs()
    figure = charts.records_by_subdistrict(sites, subdistricts, programs)
    totals = {}
    for trace in figure.data:
        assert list(trace.customdata) == subdistricts["code"].tolist()
        for code, y in zip(trace.customdata, trace.y, strict=True):
            totals[code] = totals.get(code, 0) + y
    assert totals["370103021"] == 5
    assert totals["370103003"] == 6  # 4 sites, 2 of them in two programs
    assert figure.layout.barmode == "stack"


def test_records_by_program_counts_each_program():
    sites, programs = io.load_sites(), io.load_programs()
    figure = charts.records_by_program(sites, programs)
    counts = dict(zip(figure.data[0].customdata, figure.data[0].y, strict=True))
    assert counts["cross_village"] == 5
    assert counts["two_new_demo"] == 3
    assert counts["first_secretary"] == 0


def test_filtered_chart_drops_other_subdistricts():
    sites = filter_records(io.load_sites(), RecordFilter(subdistricts=("370103022",)))
    figure = charts.records_by_subdistrict(sites, io.load_subdistricts(), io.load_programs())
    nonzero = {c for t in figure.data for c, y in zip(t.customdata, t.y, strict=True) if y}
    assert nonzero == {"370103022"}


def test_five_models_table_lists_the_five_names():
    figure = charts.five_models_figure(io.load_five_models())
    names = list(figure.data[0].cells.values[1])
    assert names == ["资产经营型", "土地运营型", "产业带动型", "物业租赁型", "服务创收型"]
