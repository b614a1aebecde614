"""Long work behind a bar (casework.ui.working): the steps a bar names, and a Job that runs one
piece of work at a time in a thread, once more when asked again while it runs."""

import threading

from casework.i18n import t
from casework.ui.working import Job, Steps


def _steps() -> Steps:
    return Steps("en", ["Reading", "Counting"])


def test_a_bar_names_the_step_under_way_and_hides_itself_when_done():
    steps = _steps()
    steps.start()
    steps.begin(1)
    assert (steps.bar.value, steps.bar.max) == (1, 2)
    assert t("look.step_of", "en", step=2, steps=2, what="Counting") in steps.line.value
    steps.finish()
    assert "cw-progress-done" in steps._dom_classes and steps.layout.display == "none"
    steps.start()
    assert "cw-progress-done" not in steps._dom_classes and steps.layout.display is None


def test_a_job_asked_again_while_it_runs_runs_once_more_after_and_then_ends():
    release, started, runs, ended = threading.Event(), threading.Event(), [], []

    def work() -> None:
        runs.append(len(runs))
        started.set()
        release.wait()

    job = Job(_steps(), work, on_error=lambda exc: None, on_end=lambda: ended.append(True))
    job.start()
    started.wait()
    job.start()
    job.start()  # asked twice while running: one more run, not two
    release.set()
    job.thread.join()

    assert runs == [0, 1] and ended == [True]
    assert "cw-progress-done" in job.steps._dom_classes


def test_a_job_whose_work_fails_hands_the_error_over_and_finishes_the_bar():
    failures: list[Exception] = []

    def work() -> None:
        raise ValueError("too few people")

    job = Job(_steps(), work, on_error=failures.append)
    job.start()
    job.thread.join()

    assert [str(e) for e in failures] == ["too few people"]
    assert job.steps.layout.display == "none"
