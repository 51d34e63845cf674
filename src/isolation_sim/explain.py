"""Saying what is wrong with a value, by its key path: one line per error, naming the file
that set it and the key (or the flag that gave it), the value and what is allowed; at most
:data:`MOST_LINES` lines, each value cut to a line (:func:`errors.shown`); and the type of a
setting by its key.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

from .errors import Given, ScenarioError, cut, shown, unknown_key
from .schema import GROUPS, LEVERS, Scenario

MOST_LINES = 10  # a message says at most this many problems, then how many more there are


def validate(data: dict, where: str, provenance: dict) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(explain(exc, where, provenance)) from None


def explain(exc: ValidationError, where: str, provenance: dict, root: type[BaseModel] | None = None) -> str:
    """One line per error: the file that set the value, the key path, and what is wrong.
    ``root`` is the schema the key paths start from (a scenario's by default)."""
    root = root or Scenario
    lines: list[str] = []
    errors = exc.errors(include_url=False)
    for err in errors[:MOST_LINES]:
        loc = tuple(str(p) for p in err["loc"] if not str(p).startswith("function-"))
        loc = tuple(p for p in loc if p not in ("int", "float", "str", "dict[str,float]"))
        file = _place(loc, where, provenance)
        key = ".".join(cut(p) for p in loc) or "(top level)"
        said = _describe(err, loc, root)
        lines.append(f"{file}: {said}" if isinstance(file, Given) else f"{file}: {key}: {said}")
    if len(errors) > MOST_LINES:
        lines.append(f"{where}: and {len(errors) - MOST_LINES:,} more problems")
    return "\n".join(dict.fromkeys(lines))


def _place(loc: tuple, where: str, provenance: dict) -> str:
    """The place that set the value at ``loc``: the nearest key above it that has one; for
    a table whose rule failed (two keys out of step), the flags that set a key of it."""
    flags = list(dict.fromkeys(place for key, place in provenance.items()
                               if loc and key[:len(loc)] == loc and isinstance(place, Given)))
    if flags:
        return flags[0] if provenance.get(loc) in flags else Given(f"{', '.join(flags)}: {'.'.join(loc)}")
    for end in range(len(loc), 0, -1):
        if loc[:end] in provenance:
            return provenance[loc[:end]]
    return where


def _describe(err: dict, loc: tuple, root: type[BaseModel]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        return unknown_key(loc[-1], _fields_at(loc[:-1], root))
    if kind == "missing":
        return "is required but missing"
    equals = f" = {shown(value)}" if not isinstance(value, dict) else ""
    info = _walk(loc, root)[1]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than", "int_parsing_size"):
        return f"value{equals} is out of range: allowed {_range(info, err.get('ctx', {}))}"
    if len(loc) >= 2 and loc[-2] == "levers" and kind in ("model_type", "model_attributes_type"):
        return f"value{equals} has the wrong type: expected a number (the level) or a table with level, start_week, end_week"
    if kind == "finite_number":
        return f"value{equals} is not a finite number"
    if kind == "int_from_float":
        return f"value{equals} has the wrong type: expected a whole number"
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in ("model_type", "model_attributes_type"):
        expected = {"int": "a whole number", "float": "a number", "bool": "true or false",
                    "string": "text", "list": "a list", "dict": "a table",
                    "model": "a table"}
        what = next((v for k, v in expected.items() if kind.startswith(k)), kind)
        return f"value{equals} has the wrong type: expected {what}"
    if kind in ("string_too_short", "string_too_long"):
        ctx = err.get("ctx", {})
        if kind == "string_too_short":
            return f"value{equals} is too short: at least {ctx.get('min_length')} characters"
        return f"value{equals} is {len(value):,} characters long: at most {ctx.get('max_length'):,} are allowed"
    if kind in ("too_short", "too_long"):
        ctx = err.get("ctx", {})
        want = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        return f"value{equals} must have {want} items, it has {ctx.get('actual_length')}"
    msg = err["msg"].removeprefix("Value error, ")
    return msg if msg.startswith("unknown key") else f"value{equals}: {msg}" if equals else msg


def _range(info: Any, ctx: dict) -> str:
    bounds: dict[str, Any] = {}
    for meta in getattr(info, "metadata", []) or []:
        for name in ("ge", "gt", "le", "lt"):
            if getattr(meta, name, None) is not None:
                bounds[name] = getattr(meta, name)
    bounds.update({k: v for k, v in ctx.items() if k in ("ge", "gt", "le", "lt")})
    low = f"{bounds['ge']:,}" if "ge" in bounds else f"more than {bounds['gt']:,}" if "gt" in bounds else None
    high = f"{bounds['le']:,}" if "le" in bounds else f"less than {bounds['lt']:,}" if "lt" in bounds else None
    if low and high:
        return f"{low} to {high}" if "ge" in bounds and "le" in bounds else f"{low} and at most {high}"
    if low:
        return f"{low} or more" if "ge" in bounds else low
    return f"up to {high}"


def _unwrap(tp: Any) -> Any:
    """The model or container type behind Annotated / Optional / Union."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is not type(None):
                return _unwrap(arg)
    return tp


def _walk(loc: tuple, root: type[BaseModel] | None = None) -> tuple[Any, Any]:
    """Follow a key path through the schema (a scenario's unless ``root`` says otherwise);
    return (type at loc, FieldInfo of loc), or (None, None) where the path leads nowhere."""
    tp: Any = root or Scenario
    info = None
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if part not in tp.model_fields:
                return None, None
            info = tp.model_fields[part]
            tp = info.annotation
            if info.metadata:
                tp = Annotated[(tp, *info.metadata)]
        elif typing.get_origin(tp) in (dict, list):
            args = typing.get_args(tp)
            tp = args[-1]
            if typing.get_origin(tp) is Annotated:
                info = type("Info", (), {"metadata": typing.get_args(tp)[1:]})()
        else:
            return None, None
    return tp, info


def _fields_at(loc: tuple, root: type[BaseModel] | None = None) -> list[str]:
    tp = _unwrap(_walk(loc, root)[0])
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f for f in tp.model_fields if f != "source"]
    return []


def setting_type(key: str) -> type | None:
    """The type of the scenario setting at the dotted ``key``, or ``None`` where there is
    no single setting (a misspelt key, or a table rather than a value).

    >>> setting_type("steering.levers.buddies.level"), setting_type("population.residents")
    (<class 'float'>, <class 'int'>)
    >>> setting_type("steering.levers.budies.level") is None, setting_type("population") is None
    (True, True)
    """
    path = tuple(key.split("."))
    if len(path) >= 3 and path[:2] == ("steering", "levers") and path[2] not in LEVERS:
        return None
    if len(path) >= 2 and path[0] == "groups" and path[1] not in GROUPS:
        return None
    tp = _unwrap(_walk(path)[0])
    return tp if tp in (int, float, bool, str) else None
