"""A page, guarded: whatever fails in drawing it, the browser gets a line and a button to go
on, and the traceback (with the server's paths) goes to the server's log only. Solara itself
would put the traceback in the page, in production mode too."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

import solara

log = logging.getLogger(__name__)


@solara.component
def _Drawn(draw: Callable[[], None]):
    draw()


@solara.component
def Guard(draw: Callable[[], None], words: str, go_on: str):
    """What ``draw`` draws (it calls components), or, when that failed, ``words`` and a
    button ``go_on`` that draws it again."""
    error, clear = solara.use_exception()
    if error is None:
        _Drawn(draw)
        return
    log.error("the page failed to draw", exc_info=(type(error), error, error.__traceback__))
    with solara.Column(style={"padding": "16px"}):
        solara.HTML(tag="h2", unsafe_innerHTML=html.escape(words))
        solara.Button(go_on, on_click=clear, color="primary")
