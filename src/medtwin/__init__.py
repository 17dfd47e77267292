"""medtwin: patient digital twins on a Neo4j multilayer graph.

From Python (a notebook, a script)::

    import medtwin
    from medtwin.platform import patients, twins

    with medtwin.connect() as store:  # the MEDTWIN_* settings, as the CLI reads them
        patients.add_patient_files(store, "P1", de="p1_de.tsv", symptoms=["HP:0001369"])
        twins.build_twin(store, "P1")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["__version__", "connect"]

if TYPE_CHECKING:  # for type checkers; at run time __getattr__ imports it on first use
    from medtwin.store.neo4j import connect as connect


def __getattr__(name: str) -> Any:
    # Looked up on first use: importlib.metadata is slow to import and `medtwin --help` needs none;
    # connect() brings the Neo4j driver, which `import medtwin` must not.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("medtwin")
        except PackageNotFoundError:  # running from a source tree without installation
            return "0.0.0"
    if name == "connect":
        from medtwin.store.neo4j import connect

        return connect
    raise AttributeError(f"module 'medtwin' has no attribute {name!r}")
