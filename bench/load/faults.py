"""Faults injected in the middle of a load run, and what the viewers saw of them.

* ``stop``: one instance is paused (SIGSTOP) for ``pause_s``, then resumed (SIGCONT): a slow
  instance. Its viewers should see a clear reconnecting state, then recover with their filter;
  the other instance's viewers should see nothing.
* ``kill``: a site is renamed by a writer process, which is then SIGKILLed at the same moment
  as one instance: its viewers should reconnect to another instance with their view restored
  from the URL, and the rename must be in the store and on their map.
* ``postgres``: the PostgreSQL server is restarted (``pg_ctl restart -m fast``) while a writer
  saves a versioned rename every 0.25 s: the instances must reconnect by themselves (the
  store's pool pre-pings), every viewer may see at most one clear notice, and each write is
  either wholly in the store (record and audit entry) or not at all.

Times are wall-clock seconds (``time.time()``), comparable with the browser's ``Date.now()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field

from bench.load.plan import EDITOR, PROJECT_DIR, LoadConfig, Plan, log
from bench.load.viewers import Viewer, map_info, page_state, url_selection

MONITOR_S = 0.2
#: After a fault ends, how long errors of the viewers it disturbed still count as its own.
GRACE_S = 3.0
#: A writer that holds a store connection, renames one site when told to, then waits to die.
_WRITER = """
import sys
from geo.store.records import Store
url, site, name, user = sys.argv[1:5]
store = Store(url)
print("ready", flush=True)
sys.stdin.readline()
record = store.get("sites", site)
record["name"] = name
version = store.save("sites", record, user=user, expected_version=record["version"])
print(version, store.data_version(), flush=True)
sys.stdin.read()
"""


@dataclass
class Fault:
    kind: str  # one of plan.FAULTS
    instance: int | None  # the instance it hits (stop, kill); None: all (postgres)
    due: float  # monotonic
    started: float | None = None  # wall clock
    ended: float | None = None  # wall clock
    figures: dict = field(default_factory=dict)
    observed: dict[int, dict] = field(default_factory=dict)  # viewer index -> what it saw
    _recovered: dict[int, asyncio.Event] = field(default_factory=dict)

    def affects(self, viewer: Viewer) -> bool:
        return self.kind == "postgres" or viewer.instance == self.instance

    def disturbs(self, viewer: Viewer) -> bool:
        """True while this viewer waits for its page to come back by itself."""
        event = self._recovered.get(viewer.index)
        return event is not None and not event.is_set()

    async def wait_recovered(self, viewer: Viewer) -> bool:
        event = self._recovered.get(viewer.index)
        if event is None:
            return False
        await event.wait()
        return self.observed[viewer.index].get("recovered_at") is not None

    def window(self, viewer: Viewer, recovery_timeout_s: float) -> tuple[float, float] | None:
        """When this viewer's problems are the fault's (wall clock), or None if unaffected."""
        if self.started is None or not self.affects(viewer):
            return None
        recovered = self.observed.get(viewer.index, {}).get("recovered_at")
        end = recovered if recovered is not None else (self.ended or self.started)
        if recovered is None and self.kind != "postgres":
            end += recovery_timeout_s
        return self.started - 0.5, end + GRACE_S


async def _monitor(
    fault: Fault, viewer: Viewer, plan: Plan, deadline: float, version: int | None
) -> None:
    """Until the viewer's page is connected again and shows the map of the filter in its URL,
    drawn from the store's ``version``: what it showed meanwhile (Streamlit's reconnecting
    state, the app's notice), and when."""
    seen = fault.observed[viewer.index]
    event = fault._recovered[viewer.index]
    try:
        while time.time() < deadline:
            state = await page_state(viewer)
            lost = [
                at
                for at, kind, _text in viewer.events
                if kind == "disconnected" and at >= fault.started - 0.5
            ]
            if lost:
                seen.setdefault("reconnecting_at", lost[0])
            if state and not state["connected"] and state["notice"]:
                seen.setdefault("notice", state["notice"])
            # back: connected again, and a script run since (the app reruns on reconnecting:
            # on an instance without its session that draws the page from its URL); a paused
            # instance's page that never looked lost, once the pause is over
            if lost:
                back = [a for a, kind, _t in viewer.events if kind == "connected" and a > lost[0]]
                reran = bool(back) and any(
                    kind == "script" and text == "running" and at >= back[0]
                    for at, kind, text in viewer.events
                )
            else:
                reran = fault.kind == "stop" and fault.ended is not None
            ready = (
                reran
                and state is not None
                and state["connected"]
                and not state["running"]
                and not state["exception"]
            )
            if ready:
                selection = url_selection(state["url"], plan)
                info = await map_info(viewer.page)
                if (
                    info is not None
                    and info["n"] == plan.expected(selection)
                    and (version is None or info["versions"] in ([version], []))
                ):
                    seen.update(
                        recovered_at=time.time(),
                        reran=bool(lost),
                        reloaded=state["loaded_at"] / 1000 > (lost or [time.time()])[0],
                        selection=selection,
                        versions=info["versions"],
                    )
                    viewer.selection = selection
                    asked = viewer.aimed[-1][1] if viewer.aimed else None
                    change = viewer.change
                    if change is not None and not change.done() and asked != selection:
                        change.cancel()  # it waits for a map the page will not show
                    return
            await asyncio.sleep(MONITOR_S)
        seen["recovered_at"] = None
    finally:
        event.set()


def _watch_affected(
    fault: Fault, viewers: list[Viewer], plan: Plan, deadline: float, version: int | None
) -> list:
    tasks = []
    for viewer in viewers:
        if fault.affects(viewer) and viewer.page is not None:
            tasks.append(asyncio.create_task(_monitor(fault, viewer, plan, deadline, version)))
    return tasks


def _note_before(fault: Fault, viewers: list[Viewer]) -> None:
    for viewer in viewers:
        if fault.affects(viewer) and viewer.page is not None:
            fault.observed[viewer.index] = {"selection_before": list(viewer.selection)}
            fault._recovered[viewer.index] = asyncio.Event()


async def _stop(fault: Fault, cfg: LoadConfig, instances, viewers, plan: Plan, store) -> None:
    pid = instances[fault.instance - 1].process.pid
    version = await asyncio.to_thread(store.data_version)
    _note_before(fault, viewers)
    fault.started = time.time()
    os.kill(pid, signal.SIGSTOP)
    log(f"  fault: instance {fault.instance} paused (SIGSTOP) for {cfg.pause_s:.0f} s")
    deadline = fault.started + cfg.pause_s + cfg.recovery_timeout_s
    monitors = _watch_affected(fault, viewers, plan, deadline, version)
    try:
        await asyncio.sleep(cfg.pause_s)
    finally:
        os.kill(pid, signal.SIGCONT)
        fault.ended = time.time()
    log(f"  fault: instance {fault.instance} resumed (SIGCONT)")
    await asyncio.gather(*monitors)
    fault.figures["pause_s"] = fault.ended - fault.started


async def _start_writer(url: str, site: str, name: str):
    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _WRITER, url, site, name, EDITOR,
        cwd=PROJECT_DIR, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    line = await asyncio.wait_for(writer.stdout.readline(), 120)
    if line.strip() != b"ready":
        raise RuntimeError(f"the writer process did not start: {line!r}")
    return writer


async def _kill(fault: Fault, cfg: LoadConfig, instances, viewers, plan, store, url) -> None:
    target = plan.target
    new_name = f"{target['name']}（故障测试：保存后立即终止）"
    audit_from = await asyncio.to_thread(_last_audit_id, store)
    writer = await _start_writer(url, target["id"], new_name)
    await asyncio.sleep(max(0.0, fault.due - time.monotonic()))
    try:
        writer.stdin.write(b"go\n")
        await writer.stdin.drain()
        line = (await asyncio.wait_for(writer.stdout.readline(), 60)).decode().split()
        _note_before(fault, viewers)
        fault.started = fault.ended = time.time()
        os.kill(instances[fault.instance - 1].process.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            writer.kill()  # with the instance: the process that saved never closes anything
        await writer.wait()
    log(f"  fault: instance {fault.instance} and the writer killed (SIGKILL) after a save")
    deadline = fault.started + cfg.recovery_timeout_s
    edited = int(line[1]) if len(line) == 2 else None
    await asyncio.gather(*_watch_affected(fault, viewers, plan, deadline, edited))
    record = await asyncio.to_thread(store.get, "sites", target["id"])
    audit = await asyncio.to_thread(_audit_names, store, target["id"], audit_from)
    version, data_version = (int(line[0]), int(line[1])) if len(line) == 2 else (None, None)
    fault.figures.update(
        edit={
            "site": target["id"],
            "new_name": new_name,
            "saved_version": version,
            "data_version": data_version,
            "in_store": record is not None
            and record["name"] == new_name
            and record["version"] == version,
            "in_audit": bool(audit) and audit[-1] == new_name,
        }
    )


def _last_audit_id(store) -> int:
    log_ = store.audit_log(1)
    return int(log_["id"].iloc[0]) if len(log_) else 0


def _audit_names(store, site: str, after_id: int) -> list[str]:
    """The names the bench's saves gave ``site`` in audit entries after ``after_id``, oldest
    first."""
    log_ = store.audit_log(5000)
    rows = log_[
        (log_["record_id"] == site) & (log_["user"] == EDITOR) & (log_["id"] > after_id)
    ].sort_values("id")
    return [json.loads(after)["name"] for after in rows["after"] if after]


async def _postgres(fault: Fault, cfg: LoadConfig, viewers, plan, store) -> None:
    if not cfg.postgres_restart:
        raise RuntimeError("the postgres fault needs its restart command (postgres_restart)")
    target = plan.target
    start = await asyncio.to_thread(store.get, "sites", target["id"])
    audit_from = await asyncio.to_thread(_last_audit_id, store)
    writes: list[dict] = []
    stop_writing = asyncio.Event()

    async def writer() -> None:
        n = 0
        while not stop_writing.is_set():
            n += 1
            name = f"{target['name']}（故障测试 {n}）"
            at = time.time()
            try:
                record = await asyncio.to_thread(store.get, "sites", target["id"])
                record["name"] = name
                version = await asyncio.to_thread(
                    store.save, "sites", record, EDITOR, record["version"]
                )
                writes.append({"at": at, "name": name, "ok": True, "version": version})
            except Exception as error:  # the server is down: a clear error, nothing written
                writes.append(
                    {"at": at, "name": name, "ok": False,
                     "error": f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"}
                )  # fmt: skip
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_writing.wait(), 0.25)

    await asyncio.sleep(max(0.0, fault.due - 5 - time.monotonic()))
    task = asyncio.create_task(writer())
    await asyncio.sleep(max(0.0, fault.due - time.monotonic()))
    _note_before(fault, viewers)
    fault.started = time.time()
    log("  fault: restarting PostgreSQL")
    process = await asyncio.create_subprocess_exec(
        *cfg.postgres_restart,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(process.communicate(), 180)
    fault.ended = time.time()
    for index in fault._recovered:  # no reconnect to wait for: the pages stay connected
        fault._recovered[index].set()
        fault.observed[index]["recovered_at"] = fault.ended
    for viewer in viewers:  # the events logged in the pages meanwhile (a lost connection?)
        lost = [at for at, kind, _t in viewer.events if kind == "disconnected"]
        if viewer.index in fault.observed and any(at >= fault.started for at in lost):
            fault.observed[viewer.index]["reconnecting_at"] = min(
                at for at in lost if at >= fault.started
            )
    log(f"  fault: PostgreSQL back after {fault.ended - fault.started:.1f} s")
    await asyncio.sleep(10)
    stop_writing.set()
    await task
    fault.figures["writes_stopped_at"] = time.time()
    audit = await asyncio.to_thread(_audit_names, store, target["id"], audit_from)
    record = await asyncio.to_thread(store.get, "sites", target["id"])
    ok = [w for w in writes if w["ok"]]
    failed = [w for w in writes if not w["ok"]]
    after_restart = [w for w in ok if w["at"] >= fault.ended]
    fault.figures.update(
        restart_s=fault.ended - fault.started,
        restart_returncode=process.returncode,
        restart_stderr=err.decode(errors="replace")[-300:],
        writes=len(writes),
        writes_ok=len(ok),
        writes_failed=len(failed),
        write_errors=sorted({w["error"] for w in failed})[:3],
        first_write_after_restart_s=(after_restart[0]["at"] - fault.ended)
        if after_restart
        else None,
        lost=[w["name"] for w in ok if w["name"] not in audit],
        applied_though_failed=[w["name"] for w in failed if w["name"] in audit],
        consistent=record is not None
        and record["version"] == start["version"] + len(audit)
        and (not audit or record["name"] == audit[-1]),
    )


async def run_fault(
    fault: Fault, cfg: LoadConfig, instances, viewers: list[Viewer], plan: Plan, store, url: str
) -> None:
    """Wait until the fault is due, inject it, and watch the viewers it affects recover."""
    if fault.kind == "stop":
        await asyncio.sleep(max(0.0, fault.due - time.monotonic()))
        await _stop(fault, cfg, instances, viewers, plan, store)
    elif fault.kind == "kill":
        await _kill(fault, cfg, instances, viewers, plan, store, url)
    elif fault.kind == "postgres":
        await _postgres(fault, cfg, viewers, plan, store)
    else:
        raise ValueError(f"unknown fault {fault.kind!r}")
