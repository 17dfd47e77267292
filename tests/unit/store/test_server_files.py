"""The local-server installer's pure parts: templates, password file, plugin de-duplication."""

from __future__ import annotations

import stat

from medtwin.settings import Settings
from medtwin.store import server


def test_password_is_generated_once_with_0600(tmp_path):
    p1 = server.read_or_create_password(tmp_path)
    p2 = server.read_or_create_password(tmp_path)
    assert p1 == p2
    assert len(p1) >= 24
    mode = stat.S_IMODE((tmp_path / "neo4j-password").stat().st_mode)
    assert mode == 0o600


def test_plugin_jars_skip_libraries_the_server_ships(tmp_path):
    lib, gds, plugins = (tmp_path / d for d in ("lib", "gds", "plugins"))
    for d in (lib, gds, plugins):
        d.mkdir()
    (lib / "com.fasterxml.jackson.core.jackson-core-2.18.0.jar").touch()
    (lib / "org.neo4j.annotations-5.26.12.jar").touch()
    (gds / "com.fasterxml.jackson.core.jackson-core-2.18.6.jar").touch()
    (gds / "org.neo4j.gds.annotations-2.13.9.jar").touch()
    (gds / "org.neo4j.gds.proc-2.13.9.jar").touch()
    server._copy_plugin_jars(gds, lib, plugins)
    assert sorted(p.name for p in plugins.iterdir()) == [
        "org.neo4j.gds.annotations-2.13.9.jar",
        "org.neo4j.gds.proc-2.13.9.jar",
    ]


def test_conf_is_loopback_with_auth(tmp_path):
    s = Settings(home=tmp_path, bolt_port=7999, http_port=7998, heap_size="1g")
    srv = server.LocalServer(s)
    srv.root.mkdir(parents=True)
    srv._write_conf()
    conf = (srv.root / "conf" / "neo4j.conf").read_text()
    assert "server.bolt.listen_address=127.0.0.1:7999" in conf
    assert "server.http.listen_address=127.0.0.1:7998" in conf
    assert "dbms.security.auth_enabled=true" in conf
    assert "server.memory.heap.max_size=1g" in conf
    assert "0.0.0.0" not in conf
    assert "@HOME@" not in conf


def test_pom_templates_pin_versions():
    text = server._template("gds-plugin.pom.xml")
    assert "@GDS_VERSION@" in text
    assert server.NEO4J_VERSION.startswith("5.26.")
    assert server.GDS_VERSION.startswith("2.13.")


def test_not_installed_in_empty_home(tmp_path):
    assert not server.LocalServer(Settings(home=tmp_path)).is_installed()


def test_auth_files_are_made_owner_only(tmp_path):
    """``auth.ini`` (written 0644 by neo4j-admin) becomes 0600, its folder 0700 (issue 19)."""
    local = server.LocalServer(Settings(home=tmp_path))
    dbms = local.root / "data" / "dbms"
    dbms.mkdir(parents=True)
    auth = dbms / "auth.ini"
    auth.write_text("neo4j:SHA-256,...\n")
    auth.chmod(0o644)
    dbms.chmod(0o755)
    assert local.protect_auth_files() == 1
    assert stat.S_IMODE(auth.stat().st_mode) == 0o600
    assert stat.S_IMODE(dbms.stat().st_mode) == 0o700
    assert local.protect_auth_files() == 0  # idempotent
