"""``python -m bench.brief``: the brief's benchmark runs end to end on synthetic data."""

from __future__ import annotations

from bench import brief as brief_bench


def test_brief_benchmark_measures_and_judges_against_its_floor():
    result = brief_bench.run(sites=300, reps=1, log=lambda _message: None)
    assert result["brief_synthetic_sites"] == 300
    for key in ("brief_floor", "brief_shipped", "picture_shipped", "brief_synthetic"):
        assert result[f"{key}_s"] > 0 and result[f"{key}_cpu_s"] > 0
    assert result["brief_shipped_vs_floor"] == result["brief_shipped_s"] / result["brief_floor_s"]
    assert result["brief_bytes"] > 100_000  # the picture is in it
    assert [c["metric"] for c in result["brief_targets"]] == [
        "brief_shipped_s",
        "brief_synthetic_s",
    ]
    lines = brief_bench.table_lines(result)
    assert any(line.startswith("(h) brief_floor_s") for line in lines)
    assert sum(line.strip().startswith(("PASS", "FAIL")) for line in lines) == 2
    assert brief_bench.table_lines(None) == []
