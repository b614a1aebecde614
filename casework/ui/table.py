"""A long list that sorts, filters and pages, driven by widgets. The table itself is HTML, so it
prints, reads on a phone as one card per row (the stylesheet's ``cw-cards``), and keeps the
``cw-*`` hooks that tests select on.

Why not ipydatagrid (in the stack for long tables): it paints its cells on a canvas, so a
screen reader and axe find no table, a row cannot become a card at 390 px, it does not print
on A4 for the paper files, and a keyboard reaches no link inside a cell. Every list here is
paged to 25-100 rows a page, where a canvas grid's speed buys nothing."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from casework.i18n import t


@dataclass(frozen=True)
class Column:
    """One column: its code (the ``cw-col-<code>`` hook), heading, cell text and sort key."""

    code: str
    heading: str
    text: Callable[[object], str]
    sort_key: Callable[[object], object] | None = None
    cell_html: Callable[[object], str] | None = None  # escaped HTML instead of ``text``
    cell_class: Callable[[object], str] | None = None  # more classes for the cell (hooks)


@dataclass(frozen=True)
class RowLook:
    """How a row is marked: its CSS classes and ``data-*`` attributes, and its state (the
    colour, ``cw-state-<state>``). ``status``, when given, is what the state choice compares
    instead: a list with statuses of its own (a posting open, filled or closed) filters by them
    while its rows keep the shared colours."""

    classes: Callable[[object], str] = lambda _row: ""
    data: Callable[[object], dict[str, object]] = lambda _row: {}
    state: Callable[[object], str | None] = lambda _row: None
    status: Callable[[object], str | None] | None = None


class DataTable(widgets.VBox):
    """Rows with a filter box, a state choice, a sort column and order, and pages.

    ``name`` makes the hooks: ``cw-field-<name>-filter``, ``-state``, ``-sort``, ``-order``,
    ``cw-action-<name>-previous`` / ``-next`` and the table box ``cw-table-<name>``.
    ``states`` are shared state codes (named by ``look.state.<code>``) or ``(label, status)``
    pairs for a look with a ``status``.
    """

    def __init__(self, name: str, columns: Sequence[Column], *, lang: str,
                 look: RowLook | None = None, states: Sequence[str | tuple[str, str]] = (),
                 page_size: int = 15, heading: str = "", placeholder: str = "") -> None:
        self.name, self.columns, self.lang = name, list(columns), lang
        self.look, self.page_size, self.heading = look or RowLook(), page_size, heading
        self.rows: list = []
        self.page = 0
        self.filter = widgets.Text(description=t("look.filter", lang), continuous_update=False,
                                   placeholder=placeholder or t("look.filter_placeholder", lang))
        self.state = widgets.Dropdown(
            description=t("look.state_filter", lang),
            options=[(t("look.state_all", lang), "")]
            + [(t(f"look.state.{s}", lang), s) if isinstance(s, str) else s for s in states],
            value="")
        sortable = [(c.heading, c.code) for c in self.columns if c.sort_key is not None]
        self.sort = widgets.Dropdown(description=t("look.sort_by", lang),
                                     options=[("—", ""), *sortable], value="")
        self.order = widgets.Dropdown(description=t("look.sort_asc", lang) + "/"
                                      + t("look.sort_desc", lang),
                                      options=[(t("look.sort_asc", lang), "asc"),
                                               (t("look.sort_desc", lang), "desc")], value="asc")
        self.previous = _button(t("look.previous", lang), f"{name}-previous", "chevron-left")
        self.next = _button(t("look.next", lang), f"{name}-next", "chevron-right")
        self.where = widgets.HTML()
        self.where.add_class(f"cw-{name}-page")
        self.table = widgets.HTML()
        self.table.add_class(f"cw-table-{name}")
        self.table.add_class("cw-cards")
        for widget, hook in ((self.filter, "filter"), (self.state, "state"),
                             (self.sort, "sort"), (self.order, "order")):
            widget.add_class(f"cw-field-{name}-{hook}")
            widget.style.description_width = "initial"
            widget.observe(self._changed, names="value")
        self.previous.on_click(lambda _b: self._turn(-1))
        self.next.on_click(lambda _b: self._turn(1))
        controls = [self.filter, *([self.state] if states else []), self.sort, self.order]
        bar = widgets.HBox(controls)
        bar.add_class("cw-table-controls")
        pager = widgets.HBox([self.previous, self.where, self.next])
        pager.add_class("cw-pager")
        super().__init__([bar, self.table, pager])
        self.add_class("cw-table-box")

    def set_rows(self, rows: Sequence) -> None:
        """Show ``rows`` (in the order given, until a sort is chosen), keeping the controls."""
        self.rows = list(rows)
        self.render()

    def shown(self) -> list:
        """The rows that pass the filter and the state, in the chosen order (all pages)."""
        needle = (self.filter.value or "").strip().casefold()
        status = self.look.status or self.look.state
        rows = [r for r in self.rows
                if (not self.state.value or status(r) == self.state.value)
                and (not needle or needle in self._text(r))]
        column = next((c for c in self.columns if c.code == self.sort.value), None)
        if column is not None:
            rows.sort(key=lambda r: _sortable(column.sort_key(r)),
                      reverse=self.order.value == "desc")
        return rows

    def _text(self, row) -> str:
        return " ".join(c.text(row) for c in self.columns).casefold()

    def render(self) -> None:
        rows = self.shown()
        pages = max(1, math.ceil(len(rows) / self.page_size))
        self.page = min(self.page, pages - 1)
        start = self.page * self.page_size
        self.table.value = self._html(rows[start:start + self.page_size])
        where = t("look.page_of", self.lang, page=self.page + 1, pages=pages, rows=len(rows))
        self.where.value = f'<span aria-live="polite">{html.escape(where)}</span>'
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1

    def _html(self, rows: list) -> str:
        head_text = f"<h3>{html.escape(self.heading)}</h3>" if self.heading else ""
        if not rows:
            nothing = html.escape(t("look.no_rows", self.lang))
            return f'{head_text}<p class="cw-no-rows">{nothing}</p>'
        heads = "".join(
            f'<th scope="col" class="cw-col-{c.code}{self._sorted(c)}">{html.escape(c.heading)}'
            f"</th>" for c in self.columns)
        body = "".join(self._row(r) for r in rows)
        return (f"{head_text}<table class=\"cw-table\"><thead><tr>{heads}</tr></thead>"
                f"<tbody>{body}</tbody></table>")

    def _sorted(self, column: Column) -> str:
        return f" cw-sorted-{self.order.value}" if column.code == self.sort.value else ""

    def _row(self, row) -> str:
        state = self.look.state(row)
        classes = " ".join(x for x in (self.look.classes(row),
                                       f"cw-state-{state}" if state else "") if x)
        data = "".join(f' data-{k}="{html.escape(str(v))}"' for k, v in self.look.data(row).items())
        cells = "".join(
            f'<td class="cw-col-{c.code}{_more(c, row)}" data-label="{html.escape(c.heading)}">'
            f"{c.cell_html(row) if c.cell_html else html.escape(c.text(row))}</td>"
            for c in self.columns)
        return f'<tr class="{classes}"{data}>{cells}</tr>'

    def _changed(self, _change) -> None:
        self.page = 0
        self.render()

    def _turn(self, step: int) -> None:
        self.page += step
        self.render()


def _more(column: Column, row: object) -> str:
    extra = column.cell_class(row) if column.cell_class else ""
    return f" {html.escape(extra)}" if extra else ""


def _sortable(value: object) -> tuple:
    """None sorts last, whatever the order; mixed types compare as text."""
    return (value is None, value if isinstance(value, int | float) else str(value or ""))


def _button(text: str, action: str, icon: str) -> widgets.Button:
    button = widgets.Button(description=text, icon=icon, tooltip=text)
    button.add_class(f"cw-action-{action}")
    return button
