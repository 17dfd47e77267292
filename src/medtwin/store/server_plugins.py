"""Which GDS jars go to the local server's ``plugins/`` folder and which to ``lib/``.

At every start Neo4j loads each class of each jar in ``plugins/`` to look for procedures, so only
the jars that declare procedures or functions stay there (:func:`slim_plugin_jars`); a library
the server already ships is not copied twice (:func:`copy_plugin_jars`).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

__all__ = ["PLUGINS_LAYOUT", "copy_plugin_jars", "declares_procedures", "slim_plugin_jars"]

_JAR = re.compile(r"^(?P<ga>.+)-(?P<version>\d[^-]*(?:-[A-Za-z0-9._]+)*)\.jar$")


def copy_plugin_jars(gds: Path, lib: Path, plugins: Path) -> None:
    """Copy GDS jars into ``plugins`` except libraries the server already ships.

    Jar names are ``<groupId>.<artifactId>-<version>.jar``; one ``groupId:artifactId`` on the
    class path twice (e.g. two Jackson versions) breaks class loading, so the server's copy wins.
    """
    in_lib = {m.group("ga") for p in lib.glob("*.jar") if (m := _JAR.match(p.name))}
    for jar in sorted(gds.glob("*.jar")):
        m = _JAR.match(jar.name)
        if m is not None and m.group("ga") in in_lib:
            continue
        shutil.copy2(jar, plugins / jar.name)


# Bump when the rule of what stays in plugins/ changes (``plugins.json`` records it).
PLUGINS_LAYOUT = "procedures-only-1"
# Annotation descriptors in a class file's constant pool: the class declares procedures.
_PROCEDURE_MARKS = (
    b"Lorg/neo4j/procedure/Procedure;",
    b"Lorg/neo4j/procedure/UserFunction;",
    b"Lorg/neo4j/procedure/UserAggregationFunction;",
)


def declares_procedures(jar: Path) -> bool:
    """Whether ``jar`` declares Neo4j procedures or functions (or cannot be read: kept).

    Neo4j looks for them only in ``plugins/``: a class annotated ``@Procedure``,
    ``@UserFunction`` or ``@UserAggregationFunction`` names the annotation's descriptor in its
    constant pool, and GDS also lists them in ``META-INF/services/org.neo4j.procedure.*``.
    """
    try:
        with zipfile.ZipFile(jar) as z:
            for info in z.infolist():
                name = info.filename
                if name.startswith("META-INF/services/org.neo4j.procedure."):
                    return True
                if name.endswith(".class"):
                    data = z.read(info)
                    if any(mark in data for mark in _PROCEDURE_MARKS):
                        return True
    except (OSError, zipfile.BadZipFile):
        return True
    return False


def slim_plugin_jars(plugins: Path, lib: Path) -> list[str]:
    """Move the jars of ``plugins`` that declare no procedure to ``lib``; returns their names.

    At every start Neo4j loads each class of each jar in ``plugins/`` to find procedures (about
    3 s for the 130 GDS jars, of which 12 declare any); the server's class path holds
    ``plugins/*`` and ``lib/*`` alike, so the other jars load from ``lib/`` just the same
    (extensions and settings are found through ``META-INF/services`` on the class path).
    """
    moved = []
    for jar in sorted(plugins.glob("*.jar")):
        if not declares_procedures(jar):
            os.replace(jar, lib / jar.name)
            moved.append(jar.name)
    return moved
