"""``python -m bench.load``: the load test, repeated runs, and the fault tests."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys

from bench.load.plan import FAULTS, LoadConfig, log
from bench.load.report import runs_table, table
from bench.load.runner import run

#: Exported by scripts/with_postgres.sh: the test server and the command that restarts it.
PG_URL_ENV, PG_RESTART_ENV = "SHIZHONG_TEST_PG_URL", "SHIZHONG_TEST_PG_RESTART"


def _faults(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in FAULTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"faults are {', '.join(FAULTS)}; got {value!r}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Simulated viewers through nginx against 1..N Streamlit instances sharing "
        "one store; loopback only, bounded in time and count. With --faults: one run per "
        "fault (an instance paused, an instance killed, PostgreSQL restarted).",
    )
    parser.add_argument("--viewers", type=int, default=6)
    parser.add_argument("--minutes", type=float, help="per run (default 2; 1.25 with --faults)")
    parser.add_argument("--instances", type=int, help="default 1; 2 with --faults")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds a viewer waits between filter changes (uniform; default 1 3)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="per filter change (s)")
    parser.add_argument("--max-actions", type=int, default=5000, help="per viewer")
    parser.add_argument(
        "--database-url",
        help="a scratch database shared by the instances (default: a new SQLite file; the "
        f"postgres fault uses ${PG_URL_ENV}); the test renames one site and puts the name back",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of the same configuration")
    parser.add_argument(
        "--faults",
        nargs="?",
        const=",".join(FAULTS),
        type=_faults,
        metavar="LIST",
        help=f"one run per fault, of {','.join(FAULTS)} (default: all; postgres needs "
        f"scripts/with_postgres.sh, which exports ${PG_URL_ENV} and ${PG_RESTART_ENV})",
    )
    parser.add_argument("--fault-at", type=float, default=20.0, help="seconds into the run")
    parser.add_argument("--pause", type=float, default=15.0, help="the stop fault's pause (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temp folders (logs)")
    parser.add_argument("--json", action="store_true", help="JSON on stdout")
    args = parser.parse_args(argv)
    faults: list[str | None] = args.faults or [None]
    minutes = args.minutes or (1.25 if args.faults else 2.0)
    instances = args.instances or (2 if args.faults else 1)
    if not 0 < minutes <= 60:
        parser.error("--minutes must be in (0, 60]")
    if not (1 <= args.viewers <= 50 and 1 <= instances <= 8 and 1 <= args.repeat <= 10):
        parser.error("--viewers must be 1..50, --instances 1..8, --repeat 1..10 (one machine)")
    if args.faults and minutes * 60 < args.fault_at + args.pause + 20:
        parser.error("--minutes too short: the fault, its pause and 20 s of recovery must fit")
    if args.faults and {"stop", "kill"} & set(args.faults) and instances < 2:
        parser.error("the stop and kill faults need --instances 2 or more")
    results = []
    for fault in faults:
        url, restart = args.database_url, None
        if fault == "postgres":
            url = url or os.environ.get(PG_URL_ENV)
            restart = tuple(shlex.split(os.environ.get(PG_RESTART_ENV, "")))
            if not url or not restart:
                log(f"fault postgres skipped: needs ${PG_URL_ENV} and ${PG_RESTART_ENV} "
                    "(run under scripts/with_postgres.sh)")  # fmt: skip
                if args.faults == ["postgres"]:
                    return 1
                continue
        for n in range(args.repeat):
            log(f"run {n + 1}/{args.repeat}" + (f", fault {fault}" if fault else ""))
            cfg = LoadConfig(
                viewers=args.viewers,
                seconds=minutes * 60,
                instances=instances,
                think_s=(min(args.think), max(args.think)),
                timeout_s=args.timeout,
                max_actions=args.max_actions,
                database_url=url,
                seed=args.seed + n,
                keep=args.keep,
                fault=fault,
                fault_at_s=args.fault_at,
                pause_s=args.pause,
                postgres_restart=restart,
            )
            result = run(cfg)
            results.append(result)
            if not args.json:
                print(table(result), flush=True)
                print(flush=True)
    if args.json:
        print(json.dumps(results if len(results) > 1 else results[0], ensure_ascii=False,
                         indent=2))  # fmt: skip
    elif args.repeat > 1 and not args.faults:
        print(runs_table(results))
    return 0 if results and all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
