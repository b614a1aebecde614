"""Long work waits until the browser has been sent the page's widget states (a thread adding
sections while that answer was made left the browser an error box in their place)."""

from ipywidgets.widgets import widget as ipywidget

from casework.ui import browser_ready


class Comm:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    def send(self, data, buffers=None) -> None:
        self.sent.append(data)


def test_the_answer_to_the_browser_lets_the_work_begin(monkeypatch):
    browser_ready.install()
    browser_ready.install()  # once only: the handler is not wrapped twice
    monkeypatch.setattr(browser_ready, "_answered", browser_ready.threading.Event())
    comm = Comm()
    monkeypatch.setattr(ipywidget.Widget, "_control_comm", comm)

    ipywidget.Widget._handle_control_comm_msg(
        {"content": {"data": {"method": "request_states"}}})

    assert comm.sent[0]["method"] == "update_states"
    assert browser_ready._answered.is_set()


def test_outside_a_kernel_nothing_is_awaited(monkeypatch):
    monkeypatch.setattr(browser_ready, "WAIT_S", 60.0)
    monkeypatch.setattr(browser_ready, "_answered", browser_ready.threading.Event())

    assert browser_ready.wait() is True
