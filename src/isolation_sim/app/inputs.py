"""The page's controls, built on the same Vuetify widgets as ``solara.SliderFloat``,
``solara.Select`` and ``solara.InputInt``, but handing on what the browser sent as it came
(Solara's own cast a forged ``null`` or list to a float or an int and fail). The page checks
each value (``values.py``); ``take`` returns whether it took it, and when it did not, the
widget is set back to the value the server holds, so the browser shows that again.
"""

from __future__ import annotations

from collections.abc import Callable

import reacton.ipyvuetify as rv
import solara

TYPED = ("focusout", "keyup.enter")  # the events on which a typed number is read


def use_checked(element, value, take: Callable[[object], bool]) -> None:
    """Hand every ``v_model`` the browser sets on ``element``'s widget to ``take``; when
    ``take`` refuses it, set the widget back to ``value``."""
    latest = solara.use_ref((value, take))
    latest.current = (value, take)

    def attach():
        widget = solara.get_widget(element)

        def changed(change):
            held, take = latest.current
            if _same(change["new"], held):  # the server's own value, set here or by a render
                return
            if not take(change["new"]):
                widget.v_model = held

        widget.observe(changed, "v_model")
        return lambda: widget.unobserve(changed, "v_model")

    solara.use_effect(attach, None)  # after every render: the widget of this render


def _same(sent, held) -> bool:
    return type(sent) is type(held) and sent == held or (
        isinstance(sent, (int, float)) and not isinstance(sent, bool) and isinstance(held, float) and sent == held)


@solara.component
def Slider(label: str, value: float, low: float, high: float, step: float, take: Callable[[object], bool],
           thumb_label="always"):
    """A slider from ``low`` to ``high`` by ``step``, drawn as ``solara.SliderFloat`` draws one."""
    slider = rv.Slider(v_model=value, label=label, min=low, max=high, step=step, thumb_label=thumb_label,
                       tick_labels=None, dense=False, hide_details=True, disabled=False)
    use_checked(slider, value, take)
    return slider


@solara.component
def Choice(label: str, values: list[str], value: str, take: Callable[[object], bool]):
    """A pick of one of ``values``, drawn as ``solara.Select`` draws one."""
    select = rv.Select(v_model=value, items=values, label=label, dense=False, disabled=False, class_="", style_="")
    use_checked(select, value, take)
    return select


@solara.component
def WholeNumber(label: str, value: int, take: Callable[[object], bool], style: str = ""):
    """A text field for a whole number, read when focus leaves it or Enter is pressed (as
    ``solara.InputInt`` reads one), drawn as ``solara.InputInt`` draws one."""
    field = rv.TextField(v_model=str(value), label=label, hide_details="auto", clearable=False, error=False,
                         class_="", style_=style, autofocus=False, dense=False, placeholder="", prefix="", suffix="")
    latest = solara.use_ref((value, take))
    latest.current = (value, take)

    def attach():
        widget = solara.get_widget(field)

        def typed(widget, event, data):
            held, take = latest.current
            if not take(widget.v_model):
                widget.v_model = str(held)

        for event in TYPED:
            widget.on_event(event, typed)
        return lambda: [widget.on_event(event, typed, remove=True) for event in TYPED]

    solara.use_effect(attach, None)  # after every render: the widget of this render
    return field
