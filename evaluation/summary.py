"""The summary mixin every evaluation Results class uses.

A results class supplies ``_title``, ``_header_rows()``, ``_tables()`` and ``_frame_row()``; the
:class:`_SummaryMixin` turns these into ``summary()``, ``__str__``, ``_repr_html_`` (so a notebook
only calls ``display(result)``) and ``to_frame()``.
"""

from __future__ import annotations

import html

import pandas as pd


class _SummaryMixin:
    """Text, HTML and one-row DataFrame views built from the hooks of a results class."""

    _title: str

    def _header_rows(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        raise NotImplementedError

    def _frame_row(self) -> tuple[str, dict[str, float | int]]:
        raise NotImplementedError

    def summary(self) -> str:
        """Return a plain-text summary: model details, the estimate table and diagnostics."""
        rows = self._header_rows()
        width = max(len(label) for label, _ in rows) + 2
        lines = [self._title, "=" * max(len(self._title), 60)]
        lines += [f"{label + ':':<{width}}{value}" for label, value in rows]
        for caption, table in self._tables():
            lines += ["-" * 60, caption, table.to_string(float_format=lambda v: f"{v:.4f}")]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
            f"<td style='text-align:left'>{html.escape(value)}</td></tr>"
            for label, value in self._header_rows()
        )
        parts = [f"<table><caption>{html.escape(self._title)}</caption>{cells}</table>"]
        for caption, table in self._tables():
            parts.append(f"<p><b>{html.escape(caption)}</b></p>")
            parts.append(table.to_html(float_format=lambda v: f"{v:.4f}", border=0))
        return "<div>" + "".join(parts) + "</div>"

    def to_frame(self) -> pd.DataFrame:
        """Return the headline numbers as a one-row DataFrame (ready for ``pd.concat``)."""
        label, row = self._frame_row()
        return pd.DataFrame([row], index=pd.Index([label], name="method"))
