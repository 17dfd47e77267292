"""Where the API's static files (viewer page, script, vendored Cytoscape.js) ship."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["CYTOSCAPE_JS", "STATIC_DIR"]

STATIC_DIR = Path(str(files("medtwin.api") / "static"))
CYTOSCAPE_JS = STATIC_DIR / "lib" / "cytoscape.min.js"
"""Cytoscape.js 3.35.0 (MIT, The Cytoscape Consortium), vendored: see ``lib/README.md``."""
