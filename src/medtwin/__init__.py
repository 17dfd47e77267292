"""medtwin: patient digital twins on a Neo4j multilayer graph."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata is slow to import and `medtwin --help` needs none.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("medtwin")
        except PackageNotFoundError:  # running from a source tree without installation
            return "0.0.0"
    raise AttributeError(f"module 'medtwin' has no attribute {name!r}")
