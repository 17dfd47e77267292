"""medtwin: patient digital twins on a Neo4j multilayer graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("medtwin")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
