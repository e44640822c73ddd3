"""Command line: ``python -m geo validate [DIR]`` (and future commands under ``python -m geo``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.config import DATA_DIR


def _validate(args: argparse.Namespace) -> int:
    from geo.validate import validate_dataset

    report = validate_dataset(Path(args.directory))
    for issue in report.issues:
        print(
            issue.describe(args.lang), file=sys.stderr if issue.severity == "error" else sys.stdout
        )
    if not report.ok:
        label = "处错误" if args.lang == "zh" else " error(s)"
        print(f"invalid: {len(report.errors)}{label} in {args.directory}", file=sys.stderr)
        return 1
    kinds = ", ".join(
        f"{key.split(':')[1]} {n}"
        for key, n in sorted(report.counts.items())
        if key.startswith("sites:")
    )
    c = report.counts
    print(
        f"ok: {c['sites']} sites ({kinds}); {c['metrics']} metrics; {c['alliances']} alliances; "
        f"{c['programs']} programs; {c['subdistricts']} subdistricts; {c['units']} units"
        + (f"; {len(report.warnings)} warning(s)" if report.warnings else "")
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="Shizhong dashboard data tools"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the data files; exit 1 on errors")
    validate.add_argument("directory", nargs="?", default=str(DATA_DIR))
    validate.add_argument("--lang", choices=("en", "zh"), default="en")
    validate.set_defaults(handler=_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
