"""What one run does (its settings) and what the map must show (the plan)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
ROUTE_COOKIE = "shizhong_route"
UPSTREAM_HEADER = "X-Shizhong-Upstream"
STREET_LABEL = "街道"  # the sidebar's subdistrict filter (zh)
MAX_SELECTED = 2  # a viewer clears the filter once it holds this many subdistricts
POLL_S = 0.05
EDITOR = "bench:load"
#: The faults ``--faults`` knows: pause one instance (SIGSTOP/SIGCONT), kill one instance
#: (SIGKILL), restart the PostgreSQL server.
FAULTS = ("stop", "kill", "postgres")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class LoadConfig:
    viewers: int = 6
    seconds: float = 120.0
    instances: int = 1
    think_s: tuple[float, float] = (1.0, 3.0)
    timeout_s: float = 30.0  # one filter change, until the map shows it and the run is over
    load_timeout_s: float = 120.0  # the first page load of all viewers at once
    max_actions: int = 5000  # per viewer
    database_url: str | None = None
    seed: int = 1
    keep: bool = False
    cross_check: bool = True
    baseline_s: float = 3.0  # before the viewers start: the machine's load from other processes
    fault: str | None = None  # one of FAULTS
    fault_at_s: float | None = None  # seconds into the viewers' loop (default: a quarter of it)
    pause_s: float = 15.0  # how long the "stop" fault pauses its instance
    recovery_timeout_s: float = 60.0  # after the fault ends, per viewer
    #: The command that restarts the PostgreSQL server of ``database_url`` (the "postgres"
    #: fault); scripts/with_postgres.sh exports it as SHIZHONG_TEST_PG_RESTART.
    postgres_restart: tuple[str, ...] | None = None

    @property
    def fault_due_s(self) -> float:
        return self.seconds / 4 if self.fault_at_s is None else self.fault_at_s


@dataclass(frozen=True)
class Plan:
    """What the map must show: every site, or those of the chosen subdistricts."""

    total: int
    counts: dict[str, int]  # subdistrict code -> sites
    names: dict[str, str]  # subdistrict code -> name shown in the filter
    target: dict  # the site renamed by the cross-instance check (and the faults' edits)

    def expected(self, selection: list[str]) -> int:
        return sum(self.counts[c] for c in selection) if selection else self.total

    @property
    def choices(self) -> list[str]:
        return [c for c in self.names if self.counts.get(c, 0) > 0]


def make_plan(store) -> Plan:
    from geo.data import io

    sites = store.read_sites()
    counts = sites.groupby("subdistrict_code").size().astype(int).to_dict()
    subdistricts = io.load_subdistricts()
    names = dict(zip(subdistricts["code"], subdistricts["name"], strict=True))
    target = sites.sort_values("id").iloc[0]
    return Plan(
        total=len(sites),
        counts={c: int(counts.get(c, 0)) for c in names},
        names=names,
        target={
            "id": str(target["id"]),
            "name": str(target["name"]),
            "subdistrict_code": str(target["subdistrict_code"]),
        },
    )
