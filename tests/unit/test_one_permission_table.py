"""Who may do what is decided in casework/access.py alone: no other module of the package or of
the evaluation names a role (demo generators excepted: they choose which account acts)."""

import ast
from pathlib import Path

from casework.access import ROLES

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("casework", "evaluation")


def role_literals(source: str) -> list[int]:
    """Lines of ``source`` where a string literal is a role name. An app's name is not a role
    though it may be spelled like one (the "admin" app): the first argument of ``AppInfo(...)``
    and a ``page=`` argument name a notebook."""
    tree = ast.parse(source)
    calls = [c for c in ast.walk(tree) if isinstance(c, ast.Call)]
    names = {id(c.args[0]) for c in calls if getattr(c.func, "id", None) == "AppInfo" and c.args}
    names |= {id(k.value) for c in calls for k in c.keywords if k.arg == "page"}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in ROLES and id(node) not in names]


def modules() -> list[Path]:
    found = [p for folder in SCANNED for p in (ROOT / folder).rglob("*.py")]
    return [p for p in found if p != ROOT / "casework" / "access.py"
            and not (p.parent == ROOT / "casework" and p.name.startswith("demo"))]


def test_no_module_outside_access_names_a_role():
    named = {str(p.relative_to(ROOT)): lines for p in modules()
             if (lines := role_literals(p.read_text(encoding="utf-8")))}

    assert named == {}


def test_the_scan_finds_a_role_in_a_comparison_a_set_and_a_keyword():
    source = ('if actor.role == "trainer":\n    pass\n'
              'WRITERS = {"community_worker", "admin"}\n'
              'x = f(role="researcher")\n'
              'AppInfo("admin", "manage_units")\n'
              'gate(ctx, capability="manage_units", page="admin")\n')

    assert role_literals(source) == [1, 3, 3, 4]


def test_the_scan_covers_the_services_the_apps_and_the_evaluation():
    scanned = {str(p.relative_to(ROOT)) for p in modules()}

    assert {"casework/services/loans.py", "casework/ui/apps.py", "casework/money.py",
            "evaluation/extract.py"} <= scanned
    assert "casework/demo.py" not in scanned and "casework/access.py" not in scanned
