"""The report's charts, drawn on the server with matplotlib as SVG whose text is outlines
(svg.fonttype "path"), so the PDF engine needs no font for them and every glyph of the CJK
font (documents.fonts) shows as drawn."""

from __future__ import annotations

import base64
import io
import threading
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sutiao.documents import fonts  # noqa: E402

COLOURS = {"received": "#1f5f99", "settled": "#2e8b57", "failed": "#c0504d"}
LABELS = {"received": "收案", "settled": "调解成功", "failed": "调解不成"}
_lock = threading.Lock()  # matplotlib's font cache and rcParams are not thread-safe


@cache
def _family() -> str:
    path = str(fonts.sans().path)
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "sutiao"}):
        figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    return out.getvalue()


def _new(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100)
    figure.set_facecolor("white")
    return figure


def trend(months: list[dict[str, Any]]) -> str:
    """Received, settled and failed per month: grouped bars."""
    with _lock, matplotlib.rc_context({"font.family": _family(), "font.size": 9}):
        figure = _new(7.2, 3.0)
        ax = figure.subplots()
        names = [m["month"][2:].replace("-", ".") for m in months]
        width = 0.27
        for i, key in enumerate(("received", "settled", "failed")):
            xs = [n + (i - 1) * width for n in range(len(months))]
            ax.bar(xs, [m[key] for m in months], width, label=LABELS[key], color=COLOURS[key])
        ax.set_xticks(range(len(months)), names)
        ax.set_title("近十二个月收案与结案（件）", pad=22)
        # Above the plot, so that no bar is hidden behind it.
        ax.legend(frameon=False, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(figure)


def by_kind(table: dict[str, Any]) -> str:
    """Received and settled per IP kind: horizontal bars (the table's first two columns)."""
    rows = list(reversed(table["rows"][:10]))
    received, settled = table["columns"].index("received"), table["columns"].index("settled")
    with _lock, matplotlib.rc_context({"font.family": _family(), "font.size": 9}):
        figure = _new(7.2, 0.6 + 0.32 * max(len(rows), 1))
        ax = figure.subplots()
        ys = range(len(rows))
        ax.barh(
            [y + 0.2 for y in ys],
            [r[received] for r in rows],
            0.4,
            label="收案",
            color=COLOURS["received"],
        )
        ax.barh(
            [y - 0.2 for y in ys],
            [r[settled] for r in rows],
            0.4,
            label="调解成功",
            color=COLOURS["settled"],
        )
        ax.set_yticks(list(ys), [r[0] for r in rows])
        ax.set_title("按知识产权类型（件）")
        ax.legend(frameon=False, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(figure)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
