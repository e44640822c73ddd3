"""From what the viewers, nginx and the processes recorded to figures: errors, stickiness,
latency and its spread, the server's CPU per filter change, the machine's load, the faults;
and the tables printed from them."""

from __future__ import annotations

import os
import statistics
from collections import Counter

from bench.load.faults import GRACE_S, Fault
from bench.load.proxy import split_upstreams
from bench.load.viewers import Viewer


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def ratio(high: float | None, low: float | None) -> float | None:
    return None if high is None or not low else high / low


def stickiness(viewers: list[Viewer], instance_of: dict[str, int]) -> dict:
    """Which instance answered each of a viewer's responses (``X-Shizhong-Upstream``, nginx's
    ``$upstream_addr``: the last address is the one that answered).

    A response that another instance than the viewer's own answered, or that nginx sent to
    another instance before (it retried it there), is a stickiness break: that viewer's
    requests, and so its session, moved. A request retried on the same instance is counted,
    not a break. An address that is no instance's is kept as written.
    """
    per_viewer: dict[int, dict] = {}
    breaks = 0
    for viewer in viewers:
        answered: Counter = Counter()
        retried: list[str] = []
        moved = 0
        for value, count in viewer.upstreams.items():
            addresses = split_upstreams(value)
            if not addresses:
                continue
            tried = [instance_of.get(a, a) for a in addresses]
            answered[tried[-1]] += count
            if len(addresses) > 1:
                retried += [value] * count
            if any(instance != viewer.instance for instance in tried):
                moved += count
        breaks += moved
        per_viewer[viewer.index + 1] = {
            "instance": viewer.instance,
            # instance numbers, and as written any address that is none of theirs: keyed as text
            "answered_by": {str(k): answered[k] for k in sorted(answered, key=str)},
            "retried": len(retried),
            "retried_examples": sorted(set(retried))[:3],
            "breaks": moved,
        }
    return {
        "breaks": breaks,
        "viewers_moved": [n for n, v in per_viewer.items() if v["breaks"]],
        "per_viewer": per_viewer,
    }


def _split_problems(viewers, fault: Fault | None, recovery_timeout_s: float):
    """(errors, during_fault): each viewer's problems outside and inside its fault window."""
    errors: list[str] = []
    during: dict[int, list[str]] = {}
    for viewer in viewers:
        window = fault.window(viewer, recovery_timeout_s) if fault is not None else None
        for began, seen, message in viewer.problems:
            # seen once the fault had begun, by an action begun before it was over
            if window is not None and seen >= window[0] and began <= window[1]:
                during.setdefault(viewer.index + 1, []).append(message)
            else:
                errors.append(message)
    return errors, during


def _latencies(viewers, within=None, outside=None) -> list[float]:
    out = []
    for viewer in viewers:
        for at, latency in zip(viewer.change_times, viewer.latencies, strict=True):
            if within is not None and not within[0] <= at <= within[1]:
                continue
            if outside is not None and outside(viewer, at):
                continue
            out.append(latency)
    return out


def _fault_report(
    fault: Fault,
    viewers: list[Viewer],
    result: dict,
    recovery_timeout_s: float,
    during: dict[int, list[str]],
) -> dict:
    affected, others = [], []
    for viewer in viewers:
        number = viewer.index + 1
        seen = fault.observed.get(viewer.index, {})
        if not fault.affects(viewer):
            lost = [e for e in viewer.events if e[1] == "disconnected" and e[0] >= fault.started]
            others.append(
                {"viewer": number, "instance": viewer.instance, "reconnecting_seen": bool(lost),
                 "errors": len(during.get(number, []))}
            )  # fmt: skip
            continue
        window = fault.window(viewer, recovery_timeout_s) or (0, 0)
        recovered = seen.get("recovered_at")
        # what the viewer asked for in the window, and the change it had in flight then
        before = [s for at, s in viewer.aimed if at < window[0]]
        asked = before[-1:] + [s for at, s in viewer.aimed if window[0] <= at <= window[1]]
        notices = [
            (kind, text)
            for at, kind, text in viewer.events
            if kind in ("toast", "exception") and window[0] <= at <= window[1]
        ]
        selection = seen.get("selection")
        after = [at for at in viewer.change_times if at >= (fault.ended or fault.started)]
        affected.append(
            {
                "viewer": number,
                "instance": viewer.instance,
                "reconnecting_after_s": seen["reconnecting_at"] - fault.started
                if "reconnecting_at" in seen
                else None,
                "notice": seen.get("notice") or None,
                "reran": seen.get("reran"),
                "reloaded": seen.get("reloaded"),
                "recovered_after_end_s": None if recovered is None else recovered - fault.ended,
                "recovered_after_start_s": None if recovered is None else recovered - fault.started,
                "selection_before": seen.get("selection_before"),
                "selection_after": selection,
                "filter_kept": selection is not None
                and (selection == seen.get("selection_before") or selection in asked),
                "map_versions_after": seen.get("versions"),
                "notices": len(notices),
                "notice_texts": [t[:120] for _k, t in notices[:2]],
                "errors_seen": len(during.get(number, [])),
                "error_examples": during.get(number, [])[:5],
                # what the page logged meanwhile, seconds from the fault's start
                "page_events": [
                    (round(at - fault.started, 2), kind, text[:60])
                    for at, kind, text in viewer.events
                    if window[0] <= at <= window[1] and kind != "toast"
                ][:40],
                "first_change_after_s": after[0] - fault.ended if after else None,
                "last_change_at": max(viewer.change_times, default=None),
                "last_versions": viewer.last_versions,
            }
        )
    window = (fault.started, (fault.ended or fault.started) + GRACE_S)
    unaffected = [v for v in viewers if not fault.affects(v)]
    report = {
        "kind": fault.kind,
        "instance": fault.instance,
        "at_s": fault.started - result.get("loop_start", fault.started),
        "final_version": result.get("final_version"),
        "figures": fault.figures,
        "affected": affected,
        "unaffected": others,
        "others_p50_during_s": quantile(_latencies(unaffected, within=window), 0.5),
        "others_p50_outside_s": quantile(
            _latencies(unaffected, outside=lambda _v, at: window[0] <= at <= window[1]), 0.5
        ),
    }
    report["checks"] = _fault_checks(report)
    return report


def _fault_checks(report: dict) -> dict[str, bool]:
    kind, affected, others = report["kind"], report["affected"], report["unaffected"]
    figures = report["figures"]
    if kind == "postgres":
        stopped = figures.get("writes_stopped_at", float("inf"))
        return {
            "the pages stayed connected": all(a["reconnecting_after_s"] is None for a in affected),
            "at most one notice per viewer": all(a["notices"] <= 1 for a in affected),
            "and no other error": all(not a["errors_seen"] for a in affected),
            "every viewer's next filter change after the restart worked": bool(affected)
            and all(a["first_change_after_s"] is not None for a in affected),
            "and its map shows the last write": all(
                a["last_versions"] == [report["final_version"]]
                for a in affected
                if (a["last_change_at"] or 0) > stopped
            ),
            "writes succeed after the restart": figures.get("first_write_after_restart_s")
            is not None,
            "no write lost or half-applied": not figures.get("lost")
            and bool(figures.get("consistent")),
        }
    checks = {
        "every affected viewer recovered": bool(affected)
        and all(a["recovered_after_end_s"] is not None for a in affected),
        "with its filter": all(a["filter_kept"] for a in affected),
        "the other instance's viewers saw nothing": all(
            not o["reconnecting_seen"] and not o["errors"] for o in others
        ),
        "a reconnecting state was shown": all(
            a["reconnecting_after_s"] is not None for a in affected
        ),
    }
    if kind == "kill":
        edit = figures.get("edit", {})
        checks["the edit saved before the kill is in the store"] = bool(
            edit.get("in_store") and edit.get("in_audit")
        )
        checks["and on the reconnected viewers' maps"] = all(
            a["map_versions_after"] == [edit.get("data_version")] for a in affected
        )
    return checks


def summarise(
    result: dict,
    viewers: list[Viewer],
    instances: list,
    check=None,
    fault: Fault | None = None,
    recovery_timeout_s: float = 60.0,
) -> dict:
    """Every figure of one run, from the raw ``result`` of the run and what was recorded."""
    errors, during = _split_problems(viewers, fault, recovery_timeout_s)
    probe = result.get("sticky_probe") or {"errors": []}
    errors += [f"sticky probe: {e}" for e in probe["errors"]]
    if check is not None and not check.done:
        errors.append("the cross-instance check did not run (the run was too short?)")
    sticky = stickiness(viewers, {f"127.0.0.1:{i.port}": i.number for i in instances})
    in_fault = (
        (lambda v, at: (w := fault.window(v, recovery_timeout_s)) is not None
         and w[0] <= at <= w[1])
        if fault is not None
        else None
    )  # fmt: skip
    latencies = _latencies(viewers, outside=in_fault)
    runs = [x for v in viewers for x in v.run_latencies]
    loads = [v.load_s for v in viewers if v.load_s is not None]
    loop_s = result.get("loop_s") or 0.0
    cpu = result.get("cpu_s", {})
    per_instance = []
    for instance in instances:
        n = instance.number
        sessions = sum(v.sessions for v in viewers if v.instance == n)
        changes = sum(len(v.latencies) for v in viewers if v.instance == n)
        used = cpu.get(n)
        idle = result.get("rss_idle_mb", {}).get(n)
        end = result.get("rss_end_mb", {}).get(n)
        per_instance.append(
            {
                "instance": n,
                "port": instance.port,
                "sessions": sessions,
                "rss_cold_mb": result.get("rss_cold_mb", {}).get(n),
                "rss_idle_mb": idle,
                "rss_end_mb": end,
                "rss_peak_mb": result.get("rss_peak_mb", {}).get(n),
                "filter_changes": changes,
                "cpu_pct_of_core": None if used is None or not loop_s else 100 * used / loop_s,
                "cpu_ms_per_change": None if used is None or not changes else 1000 * used / changes,
                "mb_per_session": (end - idle) / sessions
                if end is not None and idle is not None and sessions
                else None,
            }
        )
    all_changes = sum(len(v.latencies) for v in viewers)
    server_cpu = [c for c in cpu.values() if c is not None]
    p50, p95 = quantile(latencies, 0.5), quantile(latencies, 0.95)
    result.update(
        errors=len(errors),
        error_messages=errors[:50],
        filter_changes=all_changes,
        rerun_p50_s=p50,
        rerun_p95_s=p95,
        p95_over_p50=ratio(p95, p50),
        rerun_max_s=max(latencies, default=None),
        run_over_p50_s=quantile(runs, 0.5),
        run_over_p95_s=quantile(runs, 0.95),
        first_load_p50_s=quantile(loads, 0.5),
        first_load_max_s=max(loads, default=None),
        server_cpu_ms_per_change=1000 * sum(server_cpu) / all_changes
        if server_cpu and all_changes
        else None,
        browser_cpu_pct_of_core=100 * result["browser_cpu_s"] / loop_s
        if result.get("browser_cpu_s") is not None and loop_s
        else None,
        per_instance=per_instance,
        viewers_per_instance={
            i.number: sum(v.instance == i.number for v in viewers) for i in instances
        },
        stickiness=sticky,
        tolerated_probes=sum(len(v.tolerated) for v in viewers),
        foreign_requests=sum(len(v.foreign) for v in viewers),
        cross_instance=check.result if check is not None else None,
        fault=_fault_report(fault, viewers, result, recovery_timeout_s, during)
        if fault is not None and fault.started is not None
        else None,
    )  # fmt: skip
    if fault is not None and fault.started is None:
        result["errors"] += 1
        result["error_messages"].append(f"the {fault.kind} fault did not happen")
    result["ok"] = result["errors"] == 0 and (
        all(result["fault"]["checks"].values()) if result["fault"] else sticky["breaks"] == 0
    )
    for key in ("rss_cold_mb", "rss_idle_mb", "rss_end_mb", "rss_peak_mb", "cpu_s"):
        result.pop(key, None)
    return result


# --- output -----------------------------------------------------------------------------------


def fmt(value, unit: str = "", digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def table(r: dict) -> str:
    lines = [
        f"load test: {r['viewers']} viewers, {r['instances']} instance(s) behind nginx "
        f"{r['versions'].get('nginx', '?')}, {r['seconds']:.0f} s, think "
        f"{r['think_s'][0]:g}–{r['think_s'][1]:g} s, store {r['database']}, "
        f"streamlit {r['versions'].get('streamlit', '?')}"
        + (f", fault: {r['fault']['kind']}" if r.get("fault") else ""),
        "",
        f"{'errors':<34}{r['errors']}",
        f"{'filter changes':<34}{r['filter_changes']}",
        f"{'rerun latency p50 / p95 / max':<34}{fmt(r['rerun_p50_s'])} / "
        f"{fmt(r['rerun_p95_s'])} / {fmt(r['rerun_max_s'])} s  (input → markers painted"
        + (", outside the fault)" if r.get("fault") else ")"),
        f"{'p95 / p50':<34}{fmt(r['p95_over_p50'], '', 1)}",
        f"{'run over p50 / p95':<34}{fmt(r['run_over_p50_s'])} / {fmt(r['run_over_p95_s'])} s"
        "  (input → script run finished)",
        f"{'first page load p50 / max':<34}{fmt(r['first_load_p50_s'])} / "
        f"{fmt(r['first_load_max_s'])} s  (all viewers at once)",
        f"{'server CPU per filter change':<34}{fmt(r['server_cpu_ms_per_change'], ' ms', 0)}"
        "  (all instances' CPU during the run / filter changes)",
        f"{'machine busy before / during':<34}{fmt(r.get('machine_busy_before_pct'), ' %', 0)}"
        f" / {fmt(r.get('machine_busy_pct'), ' %', 0)} of {os.cpu_count()} cores; load average "
        f"{fmt(r.get('loadavg_end'), '', 1)}; the viewers' Chromium "
        f"{fmt(r.get('browser_cpu_pct_of_core'), ' %', 0)} of a core",
        "",
        "instance  sessions  RSS cold  RSS idle  RSS end  RSS peak  per session  "
        "changes  CPU (of a core)  CPU per change",
    ]
    for p in r["per_instance"]:
        lines.append(
            f"{p['instance']:<10}{p['sessions']:<10}{fmt(p['rss_cold_mb'], ' MB', 0):<10}"
            f"{fmt(p['rss_idle_mb'], ' MB', 0):<10}{fmt(p['rss_end_mb'], ' MB', 0):<9}"
            f"{fmt(p['rss_peak_mb'], ' MB', 0):<10}{fmt(p['mb_per_session'], ' MB', 1):<13}"
            f"{p['filter_changes']:<9}{fmt(p['cpu_pct_of_core'], ' %', 0):<17}"
            f"{fmt(p['cpu_ms_per_change'], ' ms', 0)}"
        )
    cross = r.get("cross_instance")
    if cross:
        lines += [
            "",
            f"edit through the store, seen by instance {cross['instance']} on its next rerun: "
            f"{'yes' if cross.get('seen_on_next_rerun') else 'NO'} "
            f"(version {cross.get('version_before')} → {cross.get('version_after')}, "
            f"{fmt(cross.get('edit_to_seen_s'))} s after the edit)",
        ]
    log_, probe, sticky = r["access_log"], r["sticky_probe"], r["stickiness"]
    lines.append(
        f"sticky: nginx issues its cookie: {'yes' if probe['cookie_issued'] else 'NO'}; "
        f"stickiness breaks {sticky['breaks']} (viewers whose requests moved: "
        f"{sticky['viewers_moved'] or 'none'}); access log {log_['requests']} requests, "
        f"{log_['routes']} routes, {len(log_['routes_on_several_instances'])} on more than one "
        f"instance, {log_['retried_requests']} retried on another; XSRF cookie changes per "
        f"/_stcore/health: {'yes' if probe['xsrf_cookie_changes_per_health'] else 'no'}"
    )
    if r.get("fault"):
        lines += ["", *fault_lines(r["fault"])]
    for message in r["error_messages"][:10]:
        lines.append(f"  error: {message}")
    return "\n".join(lines)


def fault_lines(f: dict) -> list[str]:
    kind = {"stop": "paused (SIGSTOP) then resumed", "kill": "killed (SIGKILL)",
            "postgres": "PostgreSQL restarted"}[f["kind"]]  # fmt: skip
    head = f"fault at {f['at_s']:.0f} s: " + (
        f"instance {f['instance']} {kind}" if f["instance"] else kind
    )
    figures = f["figures"]
    if "pause_s" in figures:
        head += f" for {figures['pause_s']:.1f} s"
    if "restart_s" in figures:
        head += f" in {figures['restart_s']:.1f} s (pg_ctl exit {figures['restart_returncode']})"
    lines = [head]
    for a in f["affected"]:
        if f["kind"] == "postgres":
            lines.append(
                f"  viewer {a['viewer']} (instance {a['instance']}): toasts/exception boxes "
                f"{a['notices']}"
                + (f" («{a['notice_texts'][0]}»)" if a["notice_texts"] else "")
                + f"; other problems {a['errors_seen']}; first filter change after the restart "
                f"{fmt(a['first_change_after_s'], ' s', 1)} after it, map at data versions "
                f"{a['last_versions']} at the end (store: {f['final_version']})"
            )
            continue
        lines.append(
            f"  viewer {a['viewer']} (instance {a['instance']}): reconnecting shown after "
            f"{fmt(a['reconnecting_after_s'], ' s', 1)}"
            + (f" («{a['notice']}»)" if a["notice"] else " (no notice of the app's)")
            + f"; back{' (page reloaded)' if a['reloaded'] else ''}"
            + f"{' (rerun)' if a['reran'] and not a['reloaded'] else ''} "
            f"{fmt(a['recovered_after_end_s'], ' s', 1)} after the fault ended "
            f"({fmt(a['recovered_after_start_s'], ' s', 1)} after it began), filter "
            f"{a['selection_after']} {'kept' if a['filter_kept'] else 'NOT kept'} (before: "
            f"{a['selection_before']}); toasts/exception boxes {a['notices']}; problems "
            f"{a['errors_seen']}"
        )
    for o in f["unaffected"]:
        lines.append(
            f"  viewer {o['viewer']} (instance {o['instance']}): reconnecting "
            f"{'SEEN' if o['reconnecting_seen'] else 'not seen'}; errors {o['errors']}"
        )
    if f["unaffected"]:
        lines.append(
            f"  other viewers' p50 during / outside the fault: "
            f"{fmt(f['others_p50_during_s'])} / {fmt(f['others_p50_outside_s'])} s"
        )
    edit = figures.get("edit")
    if edit:
        lines.append(
            f"  edit saved just before the kill (version {edit['saved_version']}): in the store "
            f"{'yes' if edit['in_store'] else 'NO'}, in the audit trail "
            f"{'yes' if edit['in_audit'] else 'NO'}"
        )
    if "writes" in figures:
        lines.append(
            f"  writes during the restart: {figures['writes']} tried, {figures['writes_ok']} "
            f"saved, {figures['writes_failed']} refused ({'; '.join(figures['write_errors'])}); "
            f"lost {len(figures['lost'])}, applied though refused "
            f"{len(figures['applied_though_failed'])}, record and audit consistent: "
            f"{'yes' if figures['consistent'] else 'NO'}; first save after the restart "
            f"{fmt(figures['first_write_after_restart_s'], ' s', 1)} after it"
        )
    for name, passed in f["checks"].items():
        lines.append(f"  [{'ok' if passed else 'FAILED'}] {name}")
    return lines


def runs_table(results: list[dict]) -> str:
    """One line per run of the same configuration, then their medians."""
    head = (
        f"{'run':<5}{'errors':>7}{'breaks':>7}{'changes':>8}{'p50 s':>8}{'p95 s':>8}"
        f"{'p95/p50':>8}{'CPU/change':>11}{'busy before':>12}{'busy':>6}{'load':>6}"
        f"{'browser':>9}"
    )
    lines = [head]

    def row(label, r) -> str:
        return (
            f"{label:<5}{r['errors']:>7}{r['stickiness']['breaks']:>7}{r['filter_changes']:>8}"
            f"{fmt(r['rerun_p50_s']):>8}{fmt(r['rerun_p95_s']):>8}"
            f"{fmt(r['p95_over_p50'], '', 1):>8}"
            f"{fmt(r['server_cpu_ms_per_change'], ' ms', 0):>11}"
            f"{fmt(r.get('machine_busy_before_pct'), ' %', 0):>12}"
            f"{fmt(r.get('machine_busy_pct'), ' %', 0):>6}{fmt(r.get('loadavg_end'), '', 1):>6}"
            f"{fmt(r.get('browser_cpu_pct_of_core'), ' %', 0):>9}"
        )

    for n, r in enumerate(results, start=1):
        lines.append(row(str(n), r))
    if len(results) > 1:
        lines.append(row("med", median_of(results)))
    return "\n".join(lines)


_MEDIAN_KEYS = (
    "errors", "filter_changes", "rerun_p50_s", "rerun_p95_s", "p95_over_p50",
    "server_cpu_ms_per_change", "machine_busy_before_pct", "machine_busy_pct", "loadavg_end",
    "browser_cpu_pct_of_core",
)  # fmt: skip


def median_of(results: list[dict]) -> dict:
    """The median of each figure over several runs of one configuration."""
    out: dict = {"stickiness": {"breaks": max(r["stickiness"]["breaks"] for r in results)}}
    for key in _MEDIAN_KEYS:
        values = [r.get(key) for r in results if r.get(key) is not None]
        out[key] = statistics.median(values) if values else None
    return out
