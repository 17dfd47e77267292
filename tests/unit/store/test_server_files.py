"""The local-server installer's pure parts: templates, password file, plugin de-duplication."""

from __future__ import annotations

import os
import stat
import subprocess
import zipfile

from medtwin.settings import Settings
from medtwin.store import (
    password,
    processes,
    server,
    server_install,
    server_lifecycle,
    server_plugins,
)


def test_password_is_generated_once_with_0600(tmp_path):
    p1 = password.read_or_create_password(tmp_path)
    p2 = password.read_or_create_password(tmp_path)
    assert p1 == p2
    assert len(p1) >= 24
    mode = stat.S_IMODE((tmp_path / "neo4j-password").stat().st_mode)
    assert mode == 0o600


def test_generated_password_never_starts_with_a_dash(tmp_path, monkeypatch):
    """A leading "-" reads as an option to neo4j-admin: CI failed on one such password (stop 34)."""
    draws = iter(["-dash" + "x" * 27, "_under" + "y" * 26])
    monkeypatch.setattr(password.secrets, "token_urlsafe", lambda n: next(draws))
    assert password.read_or_create_password(tmp_path) == "_under" + "y" * 26


def test_plugin_jars_skip_libraries_the_server_ships(tmp_path):
    lib, gds, plugins = (tmp_path / d for d in ("lib", "gds", "plugins"))
    for d in (lib, gds, plugins):
        d.mkdir()
    (lib / "com.fasterxml.jackson.core.jackson-core-2.18.0.jar").touch()
    (lib / "org.neo4j.annotations-5.26.12.jar").touch()
    (gds / "com.fasterxml.jackson.core.jackson-core-2.18.6.jar").touch()
    (gds / "org.neo4j.gds.annotations-2.13.9.jar").touch()
    (gds / "org.neo4j.gds.proc-2.13.9.jar").touch()
    server_plugins.copy_plugin_jars(gds, lib, plugins)
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
    text = server_install._template("gds-plugin.pom.xml")
    assert "@GDS_VERSION@" in text
    assert server_install.NEO4J_VERSION.startswith("5.26.")
    assert server_install.GDS_VERSION.startswith("2.13.")


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
    (local.root / "data").chmod(0o755)  # as Neo4j leaves it: the store files inside are 0644
    assert local.protect_auth_files() == 1
    assert stat.S_IMODE(auth.stat().st_mode) == 0o600
    assert stat.S_IMODE(dbms.stat().st_mode) == 0o700
    assert stat.S_IMODE((local.root / "data").stat().st_mode) == 0o700  # was 0755
    assert local.protect_auth_files() == 0  # idempotent


def _jar(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)


def test_only_jars_declaring_procedures_stay_in_plugins(tmp_path):
    """Neo4j scans every class in plugins/ at each start: jars without procedures go to lib/."""
    lib, plugins = tmp_path / "lib", tmp_path / "plugins"
    lib.mkdir()
    plugins.mkdir()
    pool = b"\xca\xfe\xba\xbe...RuntimeVisibleAnnotations..."
    _jar(plugins / "proc.jar", {"a/P.class": pool + b"Lorg/neo4j/procedure/Procedure;"})
    _jar(plugins / "func.jar", {"a/F.class": pool + b"Lorg/neo4j/procedure/UserFunction;"})
    _jar(
        plugins / "agg.jar", {"a/G.class": pool + b"Lorg/neo4j/procedure/UserAggregationFunction;"}
    )
    _jar(plugins / "listed.jar", {"META-INF/services/org.neo4j.procedure.Procedure": "a.P\n"})
    # uses procedure *types* (e.g. Mode) but declares none; an extension found via services
    _jar(
        plugins / "ext.jar",
        {
            "a/E.class": pool + b"Lorg/neo4j/procedure/Mode;",
            "META-INF/services/org.neo4j.kernel.extension.ExtensionFactory": "a.E\n",
        },
    )
    _jar(plugins / "dep.jar", {"b/D.class": pool})
    (plugins / "broken.jar").write_bytes(b"not a zip")  # unreadable: kept where it was
    moved = server_plugins.slim_plugin_jars(plugins, lib)
    assert moved == ["dep.jar", "ext.jar"]
    assert sorted(p.name for p in plugins.iterdir()) == [
        "agg.jar",
        "broken.jar",
        "func.jar",
        "listed.jar",
        "proc.jar",
    ]
    assert sorted(p.name for p in lib.iterdir()) == ["dep.jar", "ext.jar"]


def test_existing_install_is_slimmed_once(tmp_path):
    """An install made before the split is migrated on the next start/install, then left alone."""
    local = server.LocalServer(Settings(home=tmp_path))
    (local.root / "lib").mkdir(parents=True)
    (local.root / "plugins").mkdir()
    _jar(local.root / "plugins" / "dep.jar", {"b/D.class": b"x"})
    assert local.slim_plugins() == 1
    assert (local.root / "lib" / "dep.jar").exists()
    _jar(local.root / "plugins" / "dep2.jar", {"b/D.class": b"x"})
    assert local.slim_plugins() == 0  # marker written: no second scan
    assert (local.root / "plugins" / "dep2.jar").exists()


def test_conf_turns_off_bolt_shutdown_quiet_period(tmp_path):
    """Netty's 5 s quiet period, twice per stop (boss + worker loops), is 10 s of every stop."""
    srv = server.LocalServer(Settings(home=tmp_path))
    srv.root.mkdir(parents=True)
    srv._write_conf()
    conf = (srv.root / "conf" / "neo4j.conf").read_text()
    assert "internal.dbms.bolt.netty_server_shutdown_quiet_period=0" in conf


def test_alive_treats_exited_processes_as_gone():
    proc = subprocess.Popen(["true"])
    # Its exit, left unreaped (a zombie until wait()): pid_alive must say gone before wait().
    # Not a 10 s poll: that timed the start of `true` on a loaded machine.
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    assert not processes.pid_alive(proc.pid)
    proc.wait()
    assert processes.pid_alive(os.getpid())


def test_direct_jvm_command_matches_the_bootloaders(tmp_path):
    """The command ``Neo4jBoot start --verbose`` prints: class path, conf JVM flags, heap."""
    srv = server.LocalServer(Settings(home=tmp_path, heap_size="1500m"))
    srv.root.mkdir(parents=True)
    assert srv._direct("org.neo4j.cli.AdminTool", "x") is None  # no conf written yet
    srv._write_conf()
    cmd = srv._direct("org.neo4j.server.CommunityEntryPoint", "--home-dir=h", server=True)
    assert cmd is not None
    assert cmd[:3] == [
        "java",
        "-cp",
        os.pathsep.join(str(srv.root / d / "*") for d in ("plugins", "conf", "lib")),
    ]
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in cmd
    assert cmd[-4:] == [
        "-Xms1500m",
        "-Xmx1500m",
        "org.neo4j.server.CommunityEntryPoint",
        "--home-dir=h",
    ]
    admin = srv._direct("org.neo4j.cli.AdminTool", "database", "dump")
    assert admin is not None
    assert admin[-4:] == ["-Xmx1500m", "org.neo4j.cli.AdminTool", "database", "dump"]


def test_heap_sizes_the_jvm_cannot_read_fall_back_to_the_bootloader():
    assert server_lifecycle._java_size("3g") == "3g"
    assert server_lifecycle._java_size("3G") == "3g"
    assert server_lifecycle._java_size("1500m") == "1500m"
    assert server_lifecycle._java_size("3GiB") is None
    assert server_lifecycle._java_size("1.5g") is None


def test_log_configs_drop_gds_step_lines_and_keep_the_rest(tmp_path):
    import re
    import xml.etree.ElementTree as ET

    srv = server.LocalServer(Settings(home=tmp_path))
    srv.root.mkdir(parents=True)
    srv._write_conf()
    conf = srv.root / "conf"
    text = (conf / "neo4j.conf").read_text()
    for name in server_install.LOG_CONFIGS:
        assert f"={conf / name}\n" in text
        filters = ET.parse(conf / name).getroot().iter("RegexFilter")
        assert {f.get("regex") for f in filters} == {server_install.GDS_STEP_REGEX}
    job = "[0a1b] [neo4j.BoltWorker-2 [bolt-2 - /127.0.0.1:41268]] "
    dropped = [
        "PageRank :: Compute iteration 7 of 100 :: Start",
        "PageRank :: Master compute iteration 100 of 100 :: Finished",
        "Graph aggregation :: Build graph store :: Nodes 100%",
        "Louvain :: ModularityOptimization 1 of 10 :: compute modularity :: Finished",
    ]
    kept = [
        "PageRank :: Start",
        "PageRank :: Finished",
        "PageRank :: Compute iteration 7 of 100 :: Failed",
        "Louvain :: Start",
    ]
    # log4j's RegexFilter matches the whole message, as re.fullmatch does
    assert [bool(re.fullmatch(server_install.GDS_STEP_REGEX, job + m)) for m in dropped] == [
        True
    ] * 4
    assert [bool(re.fullmatch(server_install.GDS_STEP_REGEX, job + m)) for m in kept] == [False] * 4
    assert not re.fullmatch(server_install.GDS_STEP_REGEX, "Started.")


def test_the_importer_runs_with_the_serial_collector(tmp_path, monkeypatch):
    srv = server.LocalServer(Settings(home=tmp_path, heap_size="1g"))
    srv.root.mkdir(parents=True)
    srv._write_conf()
    cmd = srv._direct("org.neo4j.cli.AdminTool", "x", gc="-XX:+UseSerialGC")
    assert cmd is not None
    assert "-XX:+UseSerialGC" in cmd
    assert [f for f in cmd if f.startswith("-XX:+Use") and f.endswith("GC")] == ["-XX:+UseSerialGC"]
    assert "-XX:+UseG1GC" in srv._direct("org.neo4j.cli.AdminTool", "x")  # others keep G1
    seen: dict[str, object] = {}
    monkeypatch.setattr(srv, "is_installed", lambda: True)
    monkeypatch.setattr(srv, "stop", lambda: False)
    monkeypatch.setattr(srv, "_admin", lambda *a, **kw: seen.update(args=a, **kw))
    srv.import_full([("Protein", tmp_path / "p.csv")], [])
    assert seen["gc"] == "-XX:+UseSerialGC"
    assert "--nodes=Protein=" + str(tmp_path / "p.csv") in seen["args"]  # type: ignore[operator]
