"""What makes a node's caption wrong, in the viewer or the report's picture (stop 59's check).

A caption is wrong when it is empty, a placeholder a missing value turned into text
('undefined', 'null', 'None', 'NaN'), the node's internal id where the node has a name, or its
name cut inside a word where a word's end was there to cut at.
"""

from __future__ import annotations

PLACEHOLDERS = frozenset({"undefined", "null", "none", "nan", "[object object]"})


def caption_fault(caption: str, name: str, node_id: str) -> str | None:
    """Why ``caption`` is no fit caption of the node ``node_id`` called ``name``, or None.

    A cut caption ends with "…" after the name's start, at a space of the name unless the first
    word is longer than the cut (no space past the third character of what is kept).

    >>> caption_fault("PI3K…", "PI3K (activity -2.34)", "p1")
    >>> caption_fault("PI3K (activ…", "PI3K (activity -2.34)", "p1")
    'cut mid-word'
    >>> caption_fault("7124", "TNF", "7124"), caption_fault("undefined", "TNF", "7124")
    ('the id, not the name', 'a placeholder')
    """
    text = caption.strip()
    if not text:
        return "empty"
    if text.casefold() in PLACEHOLDERS:
        return "a placeholder"
    if name.strip() and name.strip() != node_id and text == node_id:
        return "the id, not the name"
    if text.endswith("\u2026") and text != name:
        kept = text[:-1]
        if not name.startswith(kept):
            return "not the name's start"
        # a word's end was within the cut (a space past the 3rd character) but the cut is not
        # at one: "PI3K (activ…"
        if name[len(kept)] != " " and name[: len(kept) + 1].rfind(" ") > 3:
            return "cut mid-word"
    return None
