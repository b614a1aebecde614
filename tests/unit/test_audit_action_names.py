"""Every action code the code base writes to the audit trail has a name in Chinese and English.

The codes are found by reading the source (``ast``), not from a list kept by hand: every call
that passes an ``action`` (by keyword, or by position to a function whose parameter is called
``action``) is followed back to string literals, module constants, ``a if c else b`` choices
and the two f-string families (``step_<step>``, ``posting_<status>``). An action expression the
scan cannot follow fails the test, so a new kind of code cannot slip past it."""

from __future__ import annotations

import ast
from pathlib import Path

from casework import money, vocab
from casework.i18n import catalogue
from casework.services import audit_queries

ROOT = Path(audit_queries.__file__).resolve().parents[1]
# The f-string families: the prefix and every value its placeholder takes.
FAMILIES = {"step_": (*money.LOAN_STEPS, *money.SUBSIDY_STEPS, *money.FUND_STEPS),
            "posting_": vocab.POSTING_STATUSES,
            "hardship_": ("community", "street")}  # the two levels of hardship.verify


def _sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text("utf-8")) for path in sorted(ROOT.rglob("*.py"))}


def _action_positions(trees) -> dict[str, int]:
    """Function name → the position of its ``action`` parameter."""
    found = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "action" in names:
                    index = names.index("action")
                    found[node.name] = index - (names[:1] == ["self"])
    return found


def _constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = value`` and ``A, B = a, b``."""
    found = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                found[target.id] = node.value
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                found.update({t.id: v for t, v in zip(target.elts, node.value.elts, strict=True)
                              if isinstance(t, ast.Name)})
    return found


def _locals(function: ast.AST | None) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function) if function is not None else ():
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _codes(expr: ast.expr, scope: dict, constants: dict, params: set[str]) -> set[str] | None:
    """The codes ``expr`` can take; an empty set for a forwarded parameter (its callers are
    scanned themselves); None when it cannot be followed."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        both = [_codes(e, scope, constants, params) for e in (expr.body, expr.orelse)]
        return None if None in both else both[0] | both[1]
    if isinstance(expr, ast.JoinedStr) and isinstance(expr.values[0], ast.Constant):
        prefix = expr.values[0].value
        if len(expr.values) == 2 and prefix in FAMILIES:
            return {prefix + value for value in FAMILIES[prefix]}
        return None
    if isinstance(expr, ast.Name):
        if expr.id in scope:
            parts = [_codes(e, scope, constants, params) for e in scope[expr.id]]
            return None if None in parts else set().union(*parts)
        if expr.id in params:
            return set()
        if expr.id in constants:
            return _codes(constants[expr.id], scope, constants, params)
    return None


def _callee(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _action_argument(call: ast.Call, positions: dict[str, int]) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "action":
            return keyword.value
    index = positions.get(_callee(call) or "")
    return call.args[index] if index is not None and index < len(call.args) else None


def written_actions() -> tuple[set[str], list[str]]:
    """The action codes the package writes, and the places whose code could not be followed."""
    trees = _sources()
    positions = _action_positions(trees.values())
    codes, unknown = set(), []
    for path, tree in trees.items():
        constants = _constants(tree)
        for function in [tree, *(n for n in ast.walk(tree)
                                 if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]:
            args = getattr(function, "args", None)
            params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} if args \
                else set()
            scope = _locals(function) if args else {}
            body = function.body if args else [n for n in tree.body if not isinstance(
                n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
            for call in (c for stmt in body for c in ast.walk(stmt) if isinstance(c, ast.Call)):
                expr = _action_argument(call, positions)
                if expr is None or _is_ui_hook(path, call):
                    continue
                found = _codes(expr, scope, constants, params)
                if found is None:
                    unknown.append(f"{path.relative_to(ROOT.parent)}:{call.lineno}")
                else:
                    codes |= found
    return codes, unknown


def _is_ui_hook(path: Path, call: ast.Call) -> bool:
    """The forms' ``action=`` names a button's ``cw-action-*`` hook and argparse's an option's
    kind, not an audit entry."""
    return "ui" in path.relative_to(ROOT).parts or _callee(call) == "add_argument"


def test_the_scan_finds_the_codes_it_must():
    codes, _unknown = written_actions()

    assert {"rename_unit", "claim_subsidy", "step_paid", "posting_filled", "import_ledger",
            "reactivate_staff", "deactivate_staff", "hardship_assess"} <= codes


def test_every_action_written_to_the_audit_trail_can_be_followed():
    _codes, unknown = written_actions()

    assert unknown == []


def test_every_action_written_to_the_audit_trail_has_a_chinese_and_an_english_name():
    codes, _unknown = written_actions()

    for lang in ("zh", "en"):
        names = catalogue(lang)
        missing = sorted(c for c in codes if f"audit_action.{c}" not in names)
        assert missing == [], f"{lang}: no name for {missing}"


def test_an_action_reads_as_its_name_and_an_unknown_one_as_its_code():
    assert audit_queries.action_name("rename_unit", "zh") == catalogue("zh")[
        "audit_action.rename_unit"]
    assert audit_queries.action_name("rename_unit", "en") == "Rename a unit"
    assert audit_queries.action_name("no_such_action_yet", "en") == "no_such_action_yet"
