"""Matplotlib with a CJK font from mplfonts, so Chinese labels never render as boxes."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def use_cjk_font() -> str:
    """Register the Noto Sans CJK SC that mplfonts ships and make it the default; its name."""
    import matplotlib
    import mplfonts
    from matplotlib import font_manager

    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
