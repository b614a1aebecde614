"""``casework units import`` and ``casework staff add|list|deactivate|reactivate``: the first
set-up of a real city, as the account in CASEWORK_USER.

Before any staff account exists, these commands act as the system, so that the first
administrator can be opened (``casework staff add --role admin --unit <city>``); from then on
they need CASEWORK_USER.
"""

from __future__ import annotations

import sys
from pathlib import Path

from casework import settings
from casework.access import ROLES, Actor
from casework.i18n import t


def add_parsers(sub) -> None:
    """Add the ``units`` and ``staff`` commands to the ``casework`` parser's subcommands."""
    units = sub.add_parser("units", help="the organisation tree: import streets and "
                                         "communities from a CSV file")
    units_sub = units.add_subparsers(required=True, metavar="action")
    load = units_sub.add_parser("import", help="create the units of FILE.csv (columns code, "
                                               "parent, level, name_zh, name_en) not yet there")
    load.add_argument("file", type=Path, metavar="FILE.csv")
    load.set_defaults(run=_import_units)

    staff = sub.add_parser("staff", help="staff accounts: add, list, deactivate, reactivate")
    staff_sub = staff.add_subparsers(required=True, metavar="action")
    add = staff_sub.add_parser("add", help="open a staff account")
    add.add_argument("--username", required=True, help="the login name (lower case)")
    add.add_argument("--name", required=True, help="the name shown on screens")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", required=True, metavar="CODE", help="the home unit's code")
    add.set_defaults(run=_add_staff)
    listing = staff_sub.add_parser("list", help="the accounts in your scope")
    listing.add_argument("--active", action="store_true", help="active accounts only")
    listing.set_defaults(run=_list_staff)
    for action in ("deactivate", "reactivate"):
        toggle = staff_sub.add_parser(action, help=f"{action} an account")
        toggle.add_argument("username")
        toggle.set_defaults(run=_set_active, active=action == "reactivate")


def _actor(uow) -> Actor | None:
    """The acting account; the system before any account exists; None (and a message) else."""
    from casework.services import org, staff_admin

    username = settings.acting_username()
    if username:
        return org.load_actor(uow, username)
    if not staff_admin.has_accounts(uow):
        return org.SYSTEM
    print(t("cli.no_user", settings.language()), file=sys.stderr)
    return None


def _import_units(args, lang: str) -> int:
    from casework.services import units_import
    from casework.services.uow import UnitOfWork

    if not args.file.is_file():
        print(t("ledger_import.no_such_file", lang, path=args.file), file=sys.stderr)
        return 2
    uow = UnitOfWork()
    if (actor := _actor(uow)) is None:
        return 2
    try:
        lines = units_import.read_csv(args.file.read_text("utf-8-sig"))
        done = units_import.import_units(actor, uow, lines)
    except units_import.UnitsImportRefused as refused:
        print(refused.text(lang), *refused.lines(lang), sep="\n", file=sys.stderr)
        return 1
    print(t("admin_cli.imported", lang, created=len(done.created), skipped=len(done.skipped)))
    return 0


def _add_staff(args, lang: str) -> int:
    from casework.errors import ValidationError
    from casework.services import staff_admin, units_admin
    from casework.services.uow import UnitOfWork

    uow = UnitOfWork()
    if (actor := _actor(uow)) is None:
        return 2
    unit = units_admin.unit_by_code(uow, args.unit)
    if unit is None:
        print(t("error.unit_not_found", lang, unit=args.unit), file=sys.stderr)
        return 2
    try:
        staff_admin.add_staff(actor, uow, staff_admin.NewStaff(
            username=args.username, display_name=args.name, role=args.role, unit_id=unit.id))
    except ValidationError as exc:
        print(exc.text(lang), *_field_lines(exc, lang), sep="\n", file=sys.stderr)
        return 2
    print(t("admin_cli.staff_added", lang, username=args.username,
            role=t(f"role.{args.role}", lang), unit=unit.name(lang), code=unit.code))
    return 0


def _field_lines(exc, lang: str) -> list[str]:
    option = {"display_name": "--name", "unit": "--unit", "username": "--username",
              "role": "--role"}
    return [f"{option.get(field, field)}: {text}" for field, text in exc.field_texts(lang).items()]


def _list_staff(args, lang: str) -> int:
    from casework.services import staff_admin
    from casework.services.uow import UnitOfWork

    uow = UnitOfWork()
    if (actor := _actor(uow)) is None:
        return 2
    for s in staff_admin.staff_in_scope(actor, uow, active_only=args.active):
        state = t("admin.active" if s.active else "admin.inactive", lang)
        print(f"{s.username:28} {s.display_name:16} {t('role.' + s.role, lang):20} "
              f"{s.unit_code:14} {s.unit_name(lang):16} {state}")
    return 0


def _set_active(args, lang: str) -> int:
    from casework.services import staff_admin
    from casework.services.uow import UnitOfWork

    uow = UnitOfWork()
    if (actor := _actor(uow)) is None:
        return 2
    staff_admin.set_active(actor, uow, username=args.username, active=args.active)
    key = "admin_cli.reactivated" if args.active else "admin_cli.deactivated"
    print(t(key, lang, username=args.username))
    return 0
