"""Every app notebook runs top to bottom under nbval (--nbval-lax) against a demo database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory) -> dict:
    import datetime as dt

    from casework import demo
    from casework.db import migrate
    from casework.services import org
    from casework.services.uow import UnitOfWork
    from evaluation.extract import write_extract

    folder = tmp_path_factory.mktemp("nbval")
    url = f"sqlite:///{folder / 'demo.db'}"
    migrate.upgrade(url)
    uow = UnitOfWork(url=url)
    demo.generate(uow, persons=2000, seed=5, as_of=dt.date.today())
    write_extract(org.load_actor(uow, "demo-researcher"), uow, out=folder / "extract",
                  purpose="notebook tests")
    return {**os.environ, "CASEWORK_DATABASE_URL": url,
            "CASEWORK_EXTRACT": str(folder / "extract")}


@pytest.mark.parametrize("user", ["demo-community-worker", "demo-street-officer"])
def test_every_notebook_runs_under_nbval(user, demo_env):
    """One nbval run per account over all notebooks: each still gets a kernel of its own."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
         *map(str, NOTEBOOKS)],
        env={**demo_env, "CASEWORK_USER": user}, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{sum(_cells(nb) for nb in NOTEBOOKS)} passed" in result.stdout


def _cells(notebook: Path) -> int:
    import nbformat

    return sum(c.cell_type == "code" for c in nbformat.read(notebook, as_version=4).cells)
