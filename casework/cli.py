"""The ``casework`` command: init, demo, serve, extract, report, import, users, backup,
restore."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.exc import OperationalError, ProgrammingError

from casework import cli_admin, settings
from casework.db.engine import display_url
from casework.errors import CaseworkError, DatabaseUnavailable
from casework.i18n import t

# The demo lives in the notice's years: its today, carried by the database as its clock.
DEMO_AS_OF = dt.date(2004, 6, 30)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.database:
        os.environ["CASEWORK_DATABASE_URL"] = args.database
    lang = settings.language()
    try:
        return args.run(args, lang)
    except (OperationalError, ProgrammingError) as exc:
        error = DatabaseUnavailable(url=display_url(), detail=str(exc.orig))
        print(error.text(lang), file=sys.stderr)
    except CaseworkError as exc:
        print(exc.text(lang), file=sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casework", description=t("app.title", "en"))
    parser.add_argument("--database", help="database URL (default: CASEWORK_DATABASE_URL or "
                                           "an SQLite file under data/)")
    sub = parser.add_subparsers(required=True, metavar="command")
    init = sub.add_parser("init", help="migrate the database and seed the 2003 divisions")
    init.set_defaults(run=_init)
    demo = sub.add_parser("demo", help="fill the database with reproducible synthetic data")
    demo.add_argument("--persons", type=_positive("--persons"), default=2000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--as-of", type=dt.date.fromisoformat, default=DEMO_AS_OF,
                      help="the demo's 'today' (YYYY-MM-DD), kept as the database's clock; "
                           f"default {DEMO_AS_OF}, in the notice's own years")
    demo.add_argument("--training-effect", type=_share, default=0.10,
                      help="planted average effect of completing a course on being in work "
                           "at the end of the 6th month after it (it differs by group)")
    demo.add_argument("--wage-effect", type=int, default=150,
                      help="planted rise in the monthly wage of jobs begun after completing a "
                           "course (yuan)")
    demo.add_argument("--truth", type=Path, help="write the planted truth (sample effects of "
                                                 "enrolling and completing, counts) here, as "
                                                 "JSON; for tests only")
    demo.add_argument("--if-empty", action="store_true", help="do nothing if the ledger has data")
    demo.add_argument("--reset", action="store_true", help="remove existing data first")
    demo.set_defaults(run=_demo)
    serve = sub.add_parser("serve", help="serve the notebooks/ apps with Voila")
    serve.add_argument("--port", type=_positive("--port"), default=8866)
    serve.add_argument("--host", default="127.0.0.1",
                       help="127.0.0.1 (default) serves this computer only; any other address "
                            "needs --token")
    serve.add_argument("--token", default=os.environ.get("CASEWORK_SERVE_TOKEN"),
                       help="access token the browser must present (default: "
                            "CASEWORK_SERVE_TOKEN)")
    serve.set_defaults(run=_serve)
    extract = sub.add_parser("extract", help="write a de-identified research extract "
                                             "(as a researcher or city officer: CASEWORK_USER)")
    extract.add_argument("--out", type=Path, required=True)
    extract.add_argument("--purpose", required=True,
                         help="what the extract is for (recorded in the release log)")
    extract.add_argument("--k", type=_positive("--k"), default=5, help="k-anonymity (default 5)")
    extract.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                         help="the end of observation (YYYY-MM-DD; default today)")
    extract.add_argument("--longitudinal", metavar="KEYNAME",
                         help="key the pseudonyms with this kept key, so they join other "
                              "releases made with it (default: a fresh key per release)")
    extract.add_argument("--reason", help="why the release must be longitudinal (required "
                                          "with --longitudinal; recorded in the release log)")
    extract.set_defaults(run=_extract)
    report = sub.add_parser("report", help="write a supervisor's report as .xlsx "
                                           "(as the account in CASEWORK_USER)")
    report.add_argument("name", choices=("progress",))
    report.add_argument("--year", type=int, default=None,
                        help="the target year (default: the year of the database's today)")
    report.add_argument("--out", type=Path, required=True)
    report.set_defaults(run=_report)
    imports = sub.add_parser("import", help="bring an existing ledger in from an .xlsx workbook "
                                            "(as the account in CASEWORK_USER)")
    imports.add_argument("what", choices=("ledger",))
    imports.add_argument("file", type=Path, nargs="?", help="the workbook to import; if a row "
                         "is wrong nothing is imported and FILE-errors.xlsx is written beside it")
    imports.add_argument("--template", type=Path, metavar="FILE.xlsx",
                         help="write the empty ledger template here instead")
    imports.set_defaults(run=_import)
    users = sub.add_parser("users", help="list staff accounts")
    users.set_defaults(run=_users)
    _backup_commands(sub)
    cli_admin.add_parsers(sub)
    return parser


def _backup_commands(sub) -> None:
    backup = sub.add_parser("backup", help="copy the database to FILE (SQLite: the online "
                                           "backup API; PostgreSQL: pg_dump -Fc)")
    backup.add_argument("--out", type=Path, required=True, metavar="FILE")
    backup.set_defaults(run=_backup)
    restore = sub.add_parser("restore", help="replace the database with a backup, then migrate")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--force", action="store_true",
                         help="replace a database that holds data")
    restore.set_defaults(run=_restore)


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(t("cli.bad_share", settings.language()))
    return value


def _positive(name: str):
    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(t("cli.bad_number", settings.language(), name=name))
        return int(text)
    return parse


def _init(args, lang: str) -> int:
    from casework.db import migrate
    from casework.services import org
    from casework.services.uow import UnitOfWork

    migrate.upgrade()
    print(t("cli.migrated", lang, url=display_url()))
    print(t("cli.seeded_units", lang, count=org.seed_divisions(UnitOfWork())))
    return 0


def _demo(args, lang: str) -> int:
    from casework import demo
    from casework.db import migrate
    from casework.services.uow import UnitOfWork

    migrate.upgrade()
    uow = UnitOfWork()
    if args.reset:
        demo.reset(uow)
    elif not demo.ledger_is_empty(uow):
        print(t("cli.demo_not_empty", lang), file=sys.stderr)
        return 0 if args.if_empty else 2
    summary = demo.generate(uow, persons=args.persons, seed=args.seed, as_of=args.as_of,
                            training_effect=args.training_effect, wage_effect=args.wage_effect)
    if args.truth:
        args.truth.write_text(json.dumps(summary.truth, ensure_ascii=False, indent=2), "utf-8")
    print(t("cli.demo_done", lang, persons=summary.persons, units=summary.units,
            staff=summary.staff, seed=args.seed))
    return 0


def _serve(args, lang: str) -> int:
    from casework.voila_server import is_loopback, voila_arguments

    if not is_loopback(args.host) and not args.token:
        print(t("serve.refuse_open_address", lang, host=args.host), file=sys.stderr)
        return 2
    os.environ.setdefault("CASEWORK_USER", settings.DEFAULT_SERVE_USER)
    os.environ["CASEWORK_DATABASE_URL"] = settings.database_url()
    url = f"http://{args.host}:{args.port}/voila/render/index.ipynb"
    print(t("cli.serving", lang, url=url), flush=True)
    if args.token:
        print(t("serve.token_url", lang, url=f"{url}?token={args.token}"), flush=True)
    command = [sys.executable, "-m", "casework.voila_server",
               *voila_arguments(notebooks=settings.notebooks_dir(), port=args.port,
                                host=args.host, token=args.token)]
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def _extract(args, lang: str) -> int:
    import time

    from casework.errors import ValidationError
    from casework.services import org
    from casework.services.releases import lowest_k
    from casework.services.uow import UnitOfWork
    from evaluation.extract import write_extract

    username = settings.acting_username()
    if not username:
        print(t("cli.no_user", lang), file=sys.stderr)
        return 2
    uow = UnitOfWork()
    started = time.perf_counter()
    try:
        summary = write_extract(org.load_actor(uow, username), uow, out=args.out,
                                purpose=args.purpose, k=args.k, as_of=args.as_of,
                                longitudinal=args.longitudinal, reason=args.reason)
    except ValidationError as exc:
        print("\n".join(exc.field_texts(lang).values()), file=sys.stderr)
        return 2
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    coarsened = ", ".join(f"{column} {count}" for column, count
                          in summary.coarsened["persons"].items() if count) or "-"
    print(t("cli.extract_released", lang, folder=summary.folder, rows=rows,
            seconds=f"{time.perf_counter() - started:.1f}",
            k_reached=lowest_k(summary.k_reached, summary.rows, args.k), k=args.k,
            coarsened=coarsened, suppressed=summary.suppressed["persons"]))
    if args.longitudinal:
        print(t("cli.extract_longitudinal", lang, name=args.longitudinal))
    return 0


def _report(args, lang: str) -> int:
    from casework import reports
    from casework.services import org, progress, recognition
    from casework.services.uow import UnitOfWork

    uow = UnitOfWork()
    actor = org.load_actor(uow, settings.acting_username() or settings.DEFAULT_SERVE_USER)
    year = args.year or uow.today().year
    report = progress.progress(actor, uow, year=year)
    candidates = recognition.candidates(actor, uow, year=year)
    out = reports.write_workbook(reports.progress_frames(report, candidates, lang), args.out)
    kinds = report.home.by_kind
    print(t("progress.cli_done", lang, path=out, year=year, counted=report.home.counted,
            target=round(report.home.target), placed=kinds["placement"],
            self_loan=kinds["self_employed_loan"], self_alone=kinds["self_employed"],
            flexible=kinds["flexible"]))
    return 0


def _import(args, lang: str) -> int:
    from casework.ledger_workbook import template_workbook
    from casework.services import org
    from casework.services.ledger_import import ImportLedger, LedgerImportRefused, import_ledger
    from casework.services.uow import UnitOfWork

    if args.template:
        args.template.write_bytes(template_workbook(lang))
        print(t("ledger_import.written", lang, path=args.template))
        return 0
    if args.file is None or not args.file.is_file():
        key = "ledger_import.need_file" if args.file is None else "ledger_import.no_such_file"
        print(t(key, lang, path=args.file), file=sys.stderr)
        return 2
    username = settings.acting_username()
    if not username:
        print(t("cli.no_user", lang), file=sys.stderr)
        return 2
    uow = UnitOfWork()
    command = ImportLedger(args.file.read_bytes(), args.file.name)
    try:
        done = import_ledger(org.load_actor(uow, username), uow, command=command)
    except LedgerImportRefused as refused:
        out = args.file.with_name(f"{args.file.stem}-errors.xlsx")
        out.write_bytes(refused.annotated(lang))
        print(t("ledger_import.errors_written", lang, bad=len(refused.errors),
                rows=refused.message.params["rows"], path=out), file=sys.stderr)
        return 1
    print(t("ledger_import.done", lang, rows=done.rows, seconds=f"{done.seconds:.1f}"))
    return 0


def _backup(args, lang: str) -> int:
    from casework import backup

    done = backup.backup(out=args.out)
    print(t("backup.done", lang, url=done.url, file=done.file,
            rows=backup.describe(done.rows) or t("backup.empty", lang)))
    return 0


def _restore(args, lang: str) -> int:
    from casework import backup

    if args.force and backup.holds_data(held := backup.contents()):
        print(t("backup.replacing", lang, url=display_url(), file=args.file,
                rows=backup.describe(held)), flush=True)
    done = backup.restore(file=args.file, force=args.force)
    print(t("backup.restored", lang, file=done.file, url=done.url,
            rows=backup.describe(done.rows) or t("backup.empty", lang)))
    return 0


def _users(args, lang: str) -> int:
    from casework.services import org
    from casework.services.uow import UnitOfWork

    for s in org.list_staff(UnitOfWork()):
        unit = s.unit_name_zh if lang == "zh" else s.unit_name_en
        print(f"{s.username:28} {t('role.' + s.role, lang):24} {s.unit_code:14} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
