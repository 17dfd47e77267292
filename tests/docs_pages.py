"""The user docs as text: README.md (the front page) and the guide's pages, ``docs/*.md``.

Tests that check what the docs say read them through here. A check of something a user may
read anywhere (a command, a ``curl`` line, a Python block) reads every page, so a paragraph
moved from one page to another is still found; a check of one section reads the page that
holds it (:func:`page`), so it still fails when that section loses its table.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def guide_pages() -> tuple[str, ...]:
    """README.md, then every page of ``docs/`` by name, as paths relative to the repository.

    >>> guide_pages()[:2]
    ('README.md', 'docs/api.md')
    """
    return ("README.md", *(f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md"))))


def page(name: str) -> str:
    """The text of one page, ``name`` relative to the repository (``"docs/cypher.md"``)."""
    return (ROOT / name).read_text(encoding="utf-8")


def guide_text() -> str:
    """Every page of :func:`guide_pages`, one after the other (a blank line between two)."""
    return "\n\n".join(page(name) for name in guide_pages())
