"""A FHIR bundle's JSON streamed entry by entry (:mod:`medtwin.loaders.patient_fhir` reads it).

``ijson``'s yajl backend (C) parses the bytes into events; the values are built from the events
here, one entry at a time, so a read holds one entry's JSON, never the document. The events of
a value are consumed by one tight loop (:func:`_built`): handled one by one in the loop over the
document with ``ijson``'s ``ObjectBuilder``, they took ~20% of a 16 MiB bundle's read.

Nesting is bounded (:data:`MAX_DEPTH`) as the events arrive, and a bundle nested deeper is
refused naming the line and column of the bracket that crossed it
(:meth:`~medtwin.loaders.json_position.JsonPosition.opening`); invalid JSON is named by line and
column too (:func:`~medtwin.loaders.json_position.json_error`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from medtwin.errors import SourceFormatError
from medtwin.loaders.json_position import JsonPosition, json_error

__all__ = ["MAX_DEPTH", "bundle_parts"]

MAX_DEPTH = 64
"""Deepest JSON nesting read: a Bundle's resources nest ~10 deep; deeper is no Bundle (and a
deep enough nesting would exhaust the parser's and the validator's stacks)."""

_STARTS = frozenset({"start_map", "start_array"})
_ENDS = frozenset({"end_map", "end_array"})


def bundle_parts(path: Path, stream: JsonPosition) -> Iterator[tuple[int | None, Any]]:
    """Yield ``(n, JSON of entry n)`` as each entry is parsed, then ``(None, the rest)``.

    The rest is the document without its list of entries: the Bundle's own elements; or, for a
    document that is not an object, an empty array for an array (its content is not built: it
    is no Bundle, and the error says so from its type alone) or the value itself.

    Raises
    ------
    SourceFormatError
        Invalid JSON, or JSON nested more than :data:`MAX_DEPTH` deep (line and column named).
    """
    shell: Any = None
    key: str | None = None
    in_entries = False
    entry_no = 0
    # basic_parse, not parse: parse builds each event's path prefix ("item.item...") and keeps
    # one per open container, so a document nested n deep costs O(n^2) bytes (the 100,000 "["
    # of tests/api/test_bounded_input took 22 GB and the test worker with them)
    events = ijson.basic_parse(stream, use_float=True)  # floats, as pydantic reads them
    try:
        for event, value in events:
            level = stream.level  # containers open before this event
            if event in _ENDS:
                stream.level = level - 1
                in_entries = in_entries and level - 1 > 1
                continue
            opens = event in _STARTS
            if opens and level >= MAX_DEPTH:
                raise _too_deep(path, stream)
            if level == 0:
                shell = {} if event == "start_map" else [] if opens else value
                stream.level = level + opens
                continue
            if not isinstance(shell, dict):  # inside a top-level array: counted, not built
                stream.level = level + opens
                continue
            if event == "map_key":  # of the Bundle (deeper maps are built by _built)
                key = value
                continue
            if level == 1 and key == "entry" and event == "start_array":
                if shell.get("resourceType", "Bundle") != "Bundle":
                    yield None, shell  # not a Bundle: said before its entries are read
                in_entries, stream.level = True, 2
                continue
            if opens:
                value = _built(path, events, event, stream)
            if in_entries:
                yield entry_no, value
                entry_no += 1
            else:
                shell[key] = value
    except ijson.JSONError as e:
        message = e.args[0] if e.args else ""
        raise json_error(path, message, stream, "not a valid FHIR R4 Bundle") from e
    yield None, shell


def _built(path: Path, events: Iterator[tuple[str, Any]], start: str, stream: JsonPosition) -> Any:
    """The container opened by ``start``, built from the ``events`` up to its close.

    As ``ijson.common.ObjectBuilder`` builds it (a map's last key is the one its next value
    goes to), keeping ``stream.level`` and the nesting bound as it goes.
    """
    base = stream.level
    root: Any = {} if start == "start_map" else []
    stack = [root]
    top, key = root, None
    stream.level = base + 1
    for event, value in events:
        if event == "map_key":
            key = value
            continue
        if event == "end_map" or event == "end_array":
            stack.pop()
            stream.level = base + len(stack)
            if not stack:
                return root
            top = stack[-1]
            continue
        opens = event == "start_map" or event == "start_array"
        if opens:
            if base + len(stack) >= MAX_DEPTH:
                raise _too_deep(path, stream)
            value = {} if event == "start_map" else []
        if type(top) is list:
            top.append(value)
        else:
            top[key] = value
        if opens:
            stack.append(value)
            top = value
            stream.level = base + len(stack)
    return root  # the events ended inside it: ijson raises before (premature EOF)


def _too_deep(path: Path, stream: JsonPosition) -> SourceFormatError:
    """The error of a nesting past :data:`MAX_DEPTH`, at the bracket that opened it."""
    what = f"not a valid FHIR R4 Bundle: JSON nested more than {MAX_DEPTH} deep"
    fix = "(a Bundle's resources nest about 10 deep); validate it against R4"
    spot = stream.opening(MAX_DEPTH)
    if spot is None:  # not expected (module docstring of json_position): the lines around it
        first, last = stream.lines()
        return SourceFormatError(path, None, f"{what} in lines {first}-{last} {fix}")
    line, column, bracket = spot
    return SourceFormatError(
        path, line, f"{what} at column {column}: found {bracket}, level {MAX_DEPTH + 1} {fix}"
    )
