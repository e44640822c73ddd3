"""One run: a store, the instances, nginx, the viewers (and a fault), from start to figures."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import secrets
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from bench.load.faults import Fault, run_fault
from bench.load.instances import (
    Instance,
    MachineSample,
    descendants_cpu,
    run_instances,
    warm_up,
)
from bench.load.plan import EDITOR, LoadConfig, Plan, log, make_plan
from bench.load.proxy import (
    Nginx,
    access_log_routes,
    nginx_binary,
    route_keys,
    run_nginx,
    sticky_probe,
)
from bench.load.report import summarise
from bench.load.viewers import CrossCheck, Viewer, open_viewer, page_state, viewer_loop


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for name in ("streamlit", "playwright"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


async def _drive(
    cfg: LoadConfig,
    plan: Plan,
    nginx: Nginx,
    instances: list[Instance],
    viewers: list[Viewer],
    check: CrossCheck | None,
    fault: Fault | None,
    store,
    url: str,
    samples: dict[int, list[float]],
) -> dict:
    from playwright.async_api import async_playwright

    async def sample_memory(done: asyncio.Event) -> None:
        while not done.is_set():
            for instance in instances:
                rss = instance.rss_mb()
                if rss is not None:
                    samples[instance.number].append(rss)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), 2.0)

    out: dict = {}
    servers = {i.process.pid for i in instances} | {nginx.process.pid}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        done = asyncio.Event()
        sampler = asyncio.create_task(sample_memory(done))
        try:
            log(f"  opening {len(viewers)} viewers through nginx")
            opened = await asyncio.gather(
                *(open_viewer(v, browser, nginx.url, plan, cfg) for v in viewers),
                return_exceptions=True,
            )
            for viewer, result in zip(viewers, opened, strict=True):
                if isinstance(result, BaseException):
                    viewer.error(f"first load: {type(result).__name__}: {str(result)[:300]}")
            ready = [v for v, r in zip(viewers, opened, strict=True) if r is None]
            start = time.monotonic()
            out["loop_start"] = time.time()
            cpu_start = {i.number: i.cpu_s() for i in instances}
            browser_start = descendants_cpu(os.getpid(), servers)
            machine_start = MachineSample.now()
            stop_at = start + cfg.seconds
            if check is not None:
                check.due_at = start + cfg.seconds / 2
            tasks = [viewer_loop(v, nginx.url, plan, cfg, stop_at, check, fault) for v in ready]
            if fault is not None:
                fault.due = start + cfg.fault_due_s
                tasks.append(run_fault(fault, cfg, instances, ready, plan, store, url))
            log(f"  {len(ready)} viewers changing filters for {cfg.seconds:.0f} s")
            await asyncio.gather(*tasks)
            out["loop_s"] = time.monotonic() - start
            machine_end = MachineSample.now()
            out["machine_busy_pct"] = machine_start.busy_pct_until(machine_end)
            out["loadavg_end"] = machine_end.loadavg
            browser_end = descendants_cpu(os.getpid(), servers)
            out["browser_cpu_s"] = sum(
                cpu - browser_start.get(pid, 0.0) for pid, cpu in browser_end.items()
            )
            out["cpu_s"] = {
                i.number: None
                if cpu_start[i.number] is None or i.cpu_s() is None
                else i.cpu_s() - cpu_start[i.number]
                for i in instances
            }
            out["rss_end_mb"] = {i.number: i.rss_mb() for i in instances}
            final_version = store.data_version()
            out["final_version"] = final_version
            if check is not None and check.edited_at is not None:
                for viewer in ready:
                    if viewer.last_action_at > check.edited_at and viewer.last_versions != [
                        final_version
                    ]:
                        viewer.error(
                            f"last rerun showed data versions {viewer.last_versions}, "
                            f"not {final_version}"
                        )
            for viewer in ready:  # the events logged in the page since the last look
                await page_state(viewer)
        finally:
            done.set()
            await sampler
            for viewer in viewers:
                viewer.stopping = True
            for viewer in viewers:
                if viewer.context is not None:
                    with contextlib.suppress(Exception):
                        await viewer.context.close()
            await browser.close()
    return out


def run(cfg: LoadConfig) -> dict:
    """The whole load test (see the package docstring); returns every figure as a dict."""
    from geo.store.records import Store

    if cfg.instances < 1 or cfg.viewers < 1:
        raise ValueError("need at least one instance and one viewer")
    if cfg.fault in ("stop", "kill") and cfg.instances < 2:
        raise ValueError(f"the {cfg.fault} fault needs at least 2 instances")
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
    if not CHROMIUM.exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    work = Path(tempfile.mkdtemp(prefix="shizhong-load-"))
    os.chmod(work, 0o755)
    state_dir = work / "state"
    state_dir.mkdir()
    url = cfg.database_url or f"sqlite:///{state_dir / 'shizhong.sqlite'}"
    if cfg.fault == "postgres" and urlparse(url).scheme.split("+")[0] != "postgresql":
        raise ValueError("the postgres fault needs a PostgreSQL --database-url")
    result: dict = {
        "viewers": cfg.viewers,
        "instances": cfg.instances,
        "seconds": cfg.seconds,
        "think_s": list(cfg.think_s),
        "database": urlparse(url).scheme,
        "versions": _versions(),
    }
    store = Store.open(url)  # created and seeded once, before any instance starts
    plan = make_plan(store)
    check = None
    fault = None
    viewers: list[Viewer] = []
    instances: list[Instance] = []
    try:
        with run_instances(cfg.instances, url, state_dir, work) as instances:
            result["rss_cold_mb"] = {i.number: i.rss_mb() for i in instances}
            for instance in instances:
                warm_up(instance)
            before = MachineSample.now()
            time.sleep(cfg.baseline_s)
            result["machine_busy_before_pct"] = before.busy_pct_until(MachineSample.now())
            result["rss_idle_mb"] = {i.number: i.rss_mb() for i in instances}
            log(f"  {len(instances)} instance(s) up: ports {[i.port for i in instances]}")
            ports = [i.port for i in instances]
            with run_nginx(binary, ports, work / "nginx") as nginx:
                result["versions"]["nginx"] = nginx.version
                result["sticky_probe"] = sticky_probe(nginx, ports)
                wanted = [len(range(n, cfg.viewers, cfg.instances)) for n in range(cfg.instances)]
                keys = route_keys(nginx, ports, wanted)
                viewers = [
                    Viewer(
                        i,
                        i % cfg.instances + 1,
                        keys[ports[i % cfg.instances]][i // len(ports)],
                        shots=work if cfg.keep else None,
                    )
                    for i in range(cfg.viewers)
                ]
                if cfg.cross_check and cfg.fault is None:
                    on_last = [v.index for v in viewers if v.instance == cfg.instances]
                    check = CrossCheck(
                        due_at=0.0,
                        viewer=on_last[0],
                        store=store,
                        plan=plan,
                        new_name=f"负载测试改名 {secrets.token_hex(3)}",
                    )
                if cfg.fault is not None:
                    fault = Fault(cfg.fault, None if cfg.fault == "postgres" else 1, due=0.0)
                samples: dict[int, list[float]] = {i.number: [] for i in instances}
                hard_limit = (
                    cfg.load_timeout_s + cfg.seconds + 4 * cfg.timeout_s + 120
                    + (cfg.pause_s + cfg.recovery_timeout_s + 240 if fault else 0)
                )  # fmt: skip
                result.update(
                    asyncio.run(
                        asyncio.wait_for(
                            _drive(
                                cfg, plan, nginx, instances, viewers, check, fault, store, url,
                                samples,
                            ),
                            hard_limit,
                        )
                    )
                )  # fmt: skip
                result["rss_peak_mb"] = {n: max(s, default=None) for n, s in samples.items()}
            result["access_log"] = access_log_routes(nginx.access_log)
    finally:
        _put_name_back(store, plan)
        store.engine.dispose()
        if not cfg.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["work_dir"] = str(work) if cfg.keep else None
    result = summarise(result, viewers, instances, check, fault, cfg.recovery_timeout_s)
    if cfg.keep:
        (work / "result.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
    return result


def _put_name_back(store, plan: Plan) -> None:
    """The renamed site gets its name back (``--database-url`` may be a shared database)."""
    with contextlib.suppress(Exception):
        record = store.get("sites", plan.target["id"])
        if record is not None and record["name"] != plan.target["name"]:
            record["name"] = plan.target["name"]
            store.save("sites", record, user=EDITOR, expected_version=record["version"])
