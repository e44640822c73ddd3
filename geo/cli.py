"""Command line: ``python -m geo COMMAND``: validate, template, import, areas (an official
boundary file), export, backup, restore, upgrade (after installing a new version),
hash-password, add-editor, brief (the Word brief), map-image.

Messages follow one language setting: ``--lang``, else ``$SHIZHONG_LANG``, Chinese by default.
Exit codes: 0 success, 1 invalid input (nothing written), 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.config import DATA_DIR, SECRETS_FILE, cli_language
from geo.data.access import ADMIN, ROLES
from geo.text.labels import LANGS, join_list, kind_label, t


def _validate(args: argparse.Namespace) -> int:
    from geo.load import validate_dataset

    report = validate_dataset(Path(args.directory))
    for issue in report.issues:
        print(
            issue.describe(args.lang), file=sys.stderr if issue.severity == "error" else sys.stdout
        )
    lang = args.lang
    if not report.ok:
        print(t("cli_invalid", lang, n=len(report.errors), where=args.directory), file=sys.stderr)
        return 1
    kinds = join_list(
        (
            f"{kind_label(key.split(':')[1], lang)} {n}"
            for key, n in sorted(report.counts.items())
            if key.startswith("sites:")
        ),
        lang,
    )
    line = t("cli_valid", lang, kinds=kinds, **report.counts)
    if report.warnings:
        line += t("cli_warnings", lang, n=len(report.warnings))
    print(line)
    return 0


def _template(args: argparse.Namespace) -> int:
    from geo.data import io
    from geo.reports import sheets

    path = sheets.write_workbook(Path(args.file), io.load_programs(), io.load_subdistricts())
    print(t("cli_wrote", args.lang, path=path))
    return 0


def _writer(args: argparse.Namespace):
    """Who writes: the account named by ``--user`` (its role and subdistricts, from the
    secrets file), or without ``--user`` the server's operator (``cli:LOGIN``, an
    administrator: whoever runs this on the server can change its files anyway). An unknown
    ``--user`` is a ValueError (nothing is written)."""
    import tomllib

    from geo.auth import local_account
    from geo.data import io
    from geo.data.gazetteer import code_names

    if args.user is None:
        return f"cli:{getpass_user()}"
    path = Path(args.secrets)
    try:
        editors = tomllib.loads(path.read_text(encoding="utf-8")).get("editors", {})
    except (OSError, tomllib.TOMLDecodeError):
        editors = {}
    found = local_account(args.user, editors, code_names(io.load_subdistricts(), "name"))
    if found is None:
        raise ValueError(t("cli_unknown_user", args.lang, name=args.user, path=path))
    return found[0]


def _refused(error, lang: str) -> str:
    """A ScopeError as one line: who may not write which subdistricts' records."""
    from geo.data import io
    from geo.data.access import owner_name
    from geo.data.gazetteer import code_names

    names = code_names(io.load_subdistricts(), "name")
    owners = dict.fromkeys(owner for _, _, owner in error.refused)
    shown = [owner_name(o, names, lang) for o in owners]
    return t("cli_refused", lang, name=error.account.name, where=join_list(shown, lang))


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _import(args: argparse.Namespace) -> int:
    from geo import config
    from geo.intake.geocode import Geocoder
    from geo.intake.ledger import (
        describe_plan,
        describe_unmatched,
        import_file,
        parse_mapping,
        parse_values,
    )
    from geo.store.records import ConflictError, ScopeError, Store

    lang, path = args.lang, Path(args.file)
    try:
        values = parse_values(args.value or [])
    except ValueError as error:
        print(t("cli_bad_value", lang, error=error), file=sys.stderr)
        return 1
    try:
        mapping = parse_mapping(args.map or [])
        geocoder = Geocoder.from_settings(config.geocoder_settings())
    except ValueError as error:
        print(t("cli_bad_map", lang, error=error), file=sys.stderr)
        return 1
    try:
        user = _writer(args)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        result = import_file(
            path,
            Store.open(),
            user,
            args.dry_run,
            progress=_progress,
            mapping=mapping,
            defaults={k: v for k, v in (("datum", args.datum), ("programs", args.program)) if v},
            geocoder=geocoder,
            geocode_progress=_progress,
            values=values,
        )
    except ConflictError as error:  # someone saved in between: nothing was written
        print(t("conflict", lang, error=error), file=sys.stderr)
        return 1
    except ScopeError as error:  # caught by the store itself (the rows were checked before)
        print(_refused(error, lang), file=sys.stderr)
        return 1
    if result.plan is not None:
        for line in describe_plan(result.plan, lang):
            print(line)
    for issue in result.issues:
        stream = sys.stderr if issue.severity == "error" else sys.stdout
        print(issue.describe(lang), file=stream)
    for line in describe_unmatched(result.unmatched, lang):
        print(line, file=sys.stderr)
    if not result.ok:
        print(t("cli_import_failed", lang, file=path.name, n=len(result.errors)), file=sys.stderr)
        return 1
    prefix = t("cli_dry_run", lang) if args.dry_run else ""
    print(prefix + result.summary(lang))
    return 0


def _areas(args: argparse.Namespace) -> int:
    from geo.intake.boundary_load import load_boundary_file
    from geo.store.records import ConflictError, ScopeError, Store

    path, lang = Path(args.file), args.lang
    try:
        result = load_boundary_file(
            path,
            Store.open(),
            _writer(args),
            args.dry_run,
            code_field=args.code_field,
            name_field=args.name_field,
            crs=args.crs,
            lang=lang,
        )
    except ConflictError as error:  # someone saved an area in between: nothing was written
        print(t("conflict", lang, error=error), file=sys.stderr)
        return 1
    except ScopeError as error:  # official boundaries: administrators only
        print(_refused(error, lang), file=sys.stderr)
        return 1
    except ValueError as error:  # an unknown --user
        print(error, file=sys.stderr)
        return 1
    report = result.report
    for line in report.lines(lang):
        print(line)
    for finding in report.findings:
        print(finding.line(lang), file=sys.stderr if finding.severity == "error" else sys.stdout)
    if not result.ok:
        print(t("cli_areas_failed", lang, file=path.name, n=len(report.errors)), file=sys.stderr)
        return 1
    print(result.summary(lang))
    return 0


def _export(args: argparse.Namespace) -> int:
    from geo.data import io
    from geo.reports import export, sheets
    from geo.store.records import Store

    store, path = Store.open(), Path(args.file)
    suffix = path.suffix.lower()
    sites = store.read_sites()
    if suffix == ".xlsx":
        rows = sheets.template_rows(
            sites,
            store.read_metrics(),
            store.read_alliances(),
            io.load_programs(),
            io.load_subdistricts(),
            io.load_units(),
        )
        sheets.write_workbook(path, io.load_programs(), io.load_subdistricts(), rows)
    elif suffix == ".csv":
        path.write_bytes(export.records_to_csv(sites))
    elif suffix in (".geojson", ".json"):
        path.write_bytes(export.records_to_geojson(sites))
    else:
        print(t("cli_unknown_format", args.lang, suffix=suffix), file=sys.stderr)
        return 1
    print(t("cli_wrote_sites", args.lang, path=path, n=len(sites)))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from datetime import datetime

    from geo.config import state_dir
    from geo.store.backup import backup_store
    from geo.store.records import Store

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(args.file) if args.file else state_dir() / "backups" / f"shizhong-{stamp}.sqlite"
    print(t("cli_wrote", args.lang, path=backup_store(Store.open(), path)))
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    """Migrate the store and bring in the shipped data's corrections (geo.store.shipped); with
    ``--downgrade REV`` only take the schema back to REV (install.sh --rollback)."""
    from geo.store import shipped
    from geo.store.records import ConflictError, Store

    if args.downgrade:
        shipped.downgrade_schema(None, args.downgrade)
        print(t("upgrade_downgraded", args.lang, revision=args.downgrade))
        return 0
    store = Store.open()
    print(t("upgrade_schema", args.lang, revision=shipped.schema_revision(store)))
    try:
        report = shipped.bring_in_shipped(store, Path(args.data_dir))
    except ConflictError as error:  # an edit came in meanwhile: nothing was written
        print(t("upgrade_failed", args.lang, error=error), file=sys.stderr)
        return 1
    print("\n".join(shipped.report_lines(report, args.lang)))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from geo.store.backup import RestoreError, restore_store
    from geo.store.records import ScopeError, Store

    try:
        kept = restore_store(Store.open(), Path(args.file), _writer(args))
    except ScopeError as error:  # administrators only
        print(_refused(error, args.lang), file=sys.stderr)
        return 1
    except ValueError as error:  # a refused backup (RestoreError) or an unsupported store
        why = error.text(args.lang) if isinstance(error, RestoreError) else error
        print(t("cli_not_restored", args.lang, error=why), file=sys.stderr)
        return 1
    print(t("cli_restored", args.lang, path=args.file))
    print(t("restore_kept", args.lang, path=kept))
    return 0


def _hash_password(args: argparse.Namespace) -> int:
    import getpass

    from geo.auth import hash_password

    password = getpass.getpass(t("cli_password", args.lang))
    if password != getpass.getpass(t("cli_password_again", args.lang)) or not password:
        print(t("cli_password_mismatch", args.lang), file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


def _report(args: argparse.Namespace, suffix: str) -> int:
    """``brief`` (.docx) and ``map-image`` (.png) of the view ``--street``/``--program`` name."""
    import os
    import tempfile

    from geo.load import load_dataset
    from geo.map.image import FontMissingError, parse_size
    from geo.reports import brief, pageviews
    from geo.store.records import Store

    lang, path = args.lang, Path(args.out)
    if path.suffix.lower() != suffix:
        print(t("cli_bad_suffix", lang, suffix=suffix, path=path), file=sys.stderr)
        return 1
    size = None
    if suffix == ".png":
        try:
            size = parse_size(args.size, lang)
        except ValueError as error:
            print(t("cli_bad_size", lang, error=error), file=sys.stderr)
            return 1
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        reason = t("cli_is_folder" if path.is_dir() else "cli_no_folder", lang)
        print(t("cli_not_written", lang, path=path, error=reason), file=sys.stderr)
        return 1
    data = load_dataset(Store.open())
    try:
        view = pageviews.resolve_view(data, args.street, args.program, lang)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        if size is not None:
            image = pageviews.render_view_image(data, view, lang, size, layout=None, text_size=1.0)
        else:
            image = pageviews.render_view_image(data, view, lang)
    except FontMissingError:
        if size is not None:
            print(t("cli_no_font", lang), file=sys.stderr)
            return 1
        print(t("cli_no_font", lang), file=sys.stderr)  # the brief says so in place of the map
        image = None
    content = image.png if size is not None else brief.build_brief(data, view, lang, image)
    # written beside the target, then renamed over it: never a half-written file
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        print(t("cli_not_written", lang, path=path, error=error.strerror or error), file=sys.stderr)
        return 1
    print(t("cli_wrote_brief", lang, path=path, words=view.words))
    return 0


def _add_editor(args: argparse.Namespace) -> int:
    import getpass

    from geo.auth import add_editor, hash_password, resolve_streets
    from geo.data import io
    from geo.data.gazetteer import code_names

    lang, path = args.lang, Path(args.secrets)
    try:
        streets = resolve_streets(args.street or [], code_names(io.load_subdistricts(), "name"))
    except ValueError as error:
        print(t("cli_editor_failed", lang, error=error), file=sys.stderr)
        return 1
    if args.password_stdin:  # scripted set-up: the first line of standard input
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            print(t("cli_password_mismatch", lang), file=sys.stderr)
            return 1
    else:
        password = getpass.getpass(t("cli_password", lang))
        if password != getpass.getpass(t("cli_password_again", lang)) or not password:
            print(t("cli_password_mismatch", lang), file=sys.stderr)
            return 1
    try:
        added = add_editor(path, args.name, hash_password(password), lang, args.role, streets)
    except ValueError as error:
        print(t("cli_editor_failed", lang, error=error), file=sys.stderr)
        return 1
    print(t("cli_editor_added" if added else "cli_editor_updated", lang, name=args.name, path=path))
    return 0


def _datum(text: str) -> str:
    from geo.data.datum import normalise_datum

    try:
        return normalise_datum(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The command line; its help in ``lang`` (default: ``$SHIZHONG_LANG``, else Chinese).

    Parameters
    ----------
    lang : {"zh", "en"}, optional
        Language of the help texts; None for :func:`geo.config.cli_language`.

    Returns
    -------
    argparse.ArgumentParser
        A parser with one sub-command per tool; each sets ``handler`` (a function of the
        parsed arguments returning the exit code). ``--lang`` is accepted before or after
        the command and is absent from the result when not given.
    """
    lang = lang or cli_language()

    def h(key: str) -> str:
        return t(f"cli_help_{key}", lang)

    # --lang is accepted before or after the command; the environment gives the default.
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=h("lang"))
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="市中区党建地图数据工具 (Shizhong dashboard data tools)",
        parents=[language],
    )
    commands = _Commands(parser.add_subparsers(dest="command", required=True), language)
    validate = commands.add_parser("validate", help=h("validate"))
    validate.add_argument("directory", nargs="?", default=str(DATA_DIR))
    validate.set_defaults(handler=_validate)

    template = commands.add_parser("template", help=h("template"))
    template.add_argument("file")
    template.set_defaults(handler=_template)

    load = commands.add_parser("import", help=h("import"))
    load.add_argument("file")
    load.add_argument("--dry-run", action="store_true", help=h("dry_run"))
    load.add_argument(
        "--map",
        action="append",
        metavar="HEADER=FIELD",
        help=h("map"),
    )
    load.add_argument("--value", action="append", metavar="列名:原值=目标", help=h("value"))
    load.add_argument("--datum", type=_datum, help=h("datum"))
    load.add_argument("--program", help=h("program"))
    _writer_options(load, h)
    load.set_defaults(handler=_import)

    areas = commands.add_parser("areas", help=h("areas"))
    areas.add_argument("file", help=h("areas_file"))
    areas.add_argument("--dry-run", action="store_true", help=h("report_only"))
    areas.add_argument("--code-field", help=h("code_field"))
    areas.add_argument("--name-field", help=h("name_field"))
    areas.add_argument("--crs", help=h("crs"))
    _writer_options(areas, h)
    areas.set_defaults(handler=_areas)

    dump = commands.add_parser("export", help=h("export"))
    dump.add_argument("file")
    dump.set_defaults(handler=_export)

    upgrade = commands.add_parser("upgrade", help=h("upgrade"))
    upgrade.add_argument("--data-dir", default=str(DATA_DIR), help=h("upgrade_data"))
    upgrade.add_argument("--downgrade", metavar="REVISION", help=h("upgrade_downgrade"))
    upgrade.set_defaults(handler=_upgrade)

    backup = commands.add_parser("backup", help=h("backup"))
    backup.add_argument("file", nargs="?")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser("restore", help=h("restore"))
    restore.add_argument("file")
    _writer_options(restore, h)
    restore.set_defaults(handler=_restore)

    hashing = commands.add_parser("hash-password", help=h("hash_password"))
    hashing.set_defaults(handler=_hash_password)

    editor = commands.add_parser("add-editor", help=h("add_editor"))
    editor.add_argument("name", help=h("name"))
    editor.add_argument("--secrets", default=str(SECRETS_FILE), help=h("secrets"))
    editor.add_argument("--role", choices=ROLES, default=ADMIN, help=h("role"))
    editor.add_argument("--street", action="append", help=h("editor_street"))
    editor.add_argument("--password-stdin", action="store_true", help=h("password_stdin"))
    editor.set_defaults(handler=_add_editor)
    for name, suffix in (("brief", ".docx"), ("map-image", ".png")):
        report = commands.add_parser(name, help=h(name.replace("-", "_")))
        report.add_argument("--street", help=h("street"))
        report.add_argument("--program", help=h("program_key"))
        report.add_argument("--out", required=True, help=h("out") + f" ({suffix})")
        if suffix == ".png":
            report.add_argument("--size", default="1920x1080", help=h("size"))
        report.set_defaults(handler=lambda args, suffix=suffix: _report(args, suffix))
    return parser


def _writer_options(command: argparse.ArgumentParser, h) -> None:
    """``--user NAME`` (an account of the secrets file: its role and subdistricts apply) and
    ``--secrets FILE`` (where the accounts are)."""
    command.add_argument("--user", default=None, help=h("user"))
    command.add_argument("--secrets", default=str(SECRETS_FILE), help=h("secrets"))


def getpass_user() -> str:
    """The operating-system login name, the default ``--user`` (as ``cli:NAME``) of writes.

    Returns
    -------
    str
        :func:`getpass.getuser`, or ``"unknown"`` where the environment has no user name.
    """
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return "unknown"


class _Commands:
    """Sub-parsers that all take the shared ``--lang`` option."""

    def __init__(self, actions, language: argparse.ArgumentParser) -> None:
        self.actions, self.language = actions, language

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        return self.actions.add_parser(name, parents=[self.language], **kwargs)


def _wanted_language(argv: list[str]) -> str | None:
    """``--lang X`` (or ``--lang=X``) anywhere in ``argv``, so that even --help follows it."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGS:
            return value
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command of ``python -m geo``, its messages in ``--lang`` (else
    ``$SHIZHONG_LANG``, else Chinese).

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; None for ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code: 0 on success, 1 when the input is invalid or the command failed
        (said on stderr; nothing written).

    Raises
    ------
    SystemExit
        With code 2 on a usage error, or 0 after ``--help`` (argparse).
    """
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_wanted_language(argv)).parse_args(argv)
    if not hasattr(args, "lang"):
        args.lang = cli_language()
    return args.handler(args)
