"""The cohort's Dask workers run without the statistical profiler (it held the driver's buffer)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medtwin.platform.dask_cluster import local_cluster, stop_profiler
from medtwin.store.processes import pid_alive


def _profiler_running(dask_worker) -> bool:  # noqa: ANN001 - client.run passes the Worker
    pcs = dask_worker.periodic_callbacks
    return any(pcs[name].is_running() for name in ("profile", "profile-cycle") if name in pcs)


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("bogus", "--scheduler 'bogus': missing port number"),
        ("tcp://127.0.0.1:1", "no Dask scheduler answers at 'tcp://127.0.0.1:1' within 1 s"),
    ],
)
def test_a_scheduler_address_that_does_not_work_is_an_input_error(address, said):
    """`cohort run --scheduler bogus` ended in distributed's ValueError and a traceback.

    Run in a new interpreter, as the CLI does: in a pytest process that has run hundreds of
    tests, Dask's client could not start its IO-loop thread within its fixed 10 s once
    (distributed's own AssertionError), which says nothing about the address.
    """
    code = textwrap.dedent(
        f"""
        import json
        from medtwin.errors import InputError
        from medtwin.platform.dask_cluster import connect_scheduler
        try:
            connect_scheduler({address!r}, timeout=1)
        except InputError as e:
            print(json.dumps([e.message, e.hint]))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    message, hint = json.loads(proc.stdout.strip().splitlines()[-1])
    assert re.search(said, message)
    assert "tcp://10.0.0.5:8786" in (hint or "")


def test_stop_profiler_outside_a_worker_does_nothing():
    assert stop_profiler() is False


def test_local_cluster_workers_have_no_profiler():
    from dask.distributed import Client

    with local_cluster(1) as cluster, Client(cluster) as client:
        assert list(client.run(_profiler_running).values()) == [False]
        assert client.submit(stop_profiler).result() is False


def test_stop_profiler_stops_it_on_a_worker_that_has_one():
    """A worker of another cluster (``--scheduler``) starts with the profiler; a task stops it.

    Its scheduler serves HTTP on a free port, as local_cluster's does: on Dask's default 8787,
    taken by another cluster on the machine (another pytest session's), Dask's move to a free
    port left a socket unclosed, a ResourceWarning, an error here."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
            scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
            silence_logs=logging.WARNING,
        ) as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        assert list(client.run(_profiler_running).values()) == [True]
        assert client.submit(stop_profiler, pure=False).result() is True
        assert list(client.run(_profiler_running).values()) == [False]


def test_a_sampled_frame_of_the_drivers_read_blocks_its_buffer_from_growing():
    """The mechanism the profiler caused, on the driver's own read (no server, no Dask).

    Dask's profiler takes the frames of a task blocked in the driver's socket read; the driver
    passes a slice of its receive buffer down to that read. While the frame is held, the buffer
    cannot grow for a larger message: ``BufferError``, as in the cohort worker.
    """
    import sys

    from neo4j._codec.packstream.v1 import Unpacker
    from neo4j._sync.io._bolt._common import receive_into_buffer

    sampled = []

    class Socket:
        def recv_into(self, view, nbytes):  # noqa: ANN001 - the driver's socket interface
            sampled.append(sys._getframe())  # what sys._current_frames() hands the profiler
            view[:nbytes] = bytes(nbytes)
            return nbytes

    buffer = Unpacker.new_unpackable_buffer()
    receive_into_buffer(Socket(), buffer, 2)
    with pytest.raises(BufferError, match="cannot be re-sized"):
        receive_into_buffer(Socket(), buffer, 20_000)  # larger than the 8 KiB buffer
    sampled.clear()
    receive_into_buffer(Socket(), buffer, 20_000)
    assert buffer.used == 20_002


_INTERRUPTED_RUN = textwrap.dedent(
    """
    import os, pathlib, signal, sys, time
    from dask.distributed import as_completed
    from medtwin.platform.dask_cluster import (
        close_cluster, connect_scheduler, local_cluster, quiet_shutdown,
    )

    def hold(started):
        # on its worker: say that it runs, and in which process, then wait for the interrupt
        pathlib.Path(started + ".tmp").write_text(str(os.getpid()))
        pathlib.Path(started + ".tmp").rename(started)
        time.sleep(60)

    if __name__ == "__main__":
        # As a terminal's foreground job starts. The process that runs this may have SIGINT
        # ignored (a background job of a shell script, `pytest ... &`), and an ignored signal
        # is inherited: the Ctrl-C below was then ignored too, and the tasks ran their 60 s.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        started = [str(pathlib.Path(sys.argv[1], f"task{i}")) for i in range(2)]
        cluster = local_cluster(2)
        client = connect_scheduler(cluster)
        try:
            futures = [
                client.submit(hold, flag, workers=[worker], pure=False)
                for flag, worker in zip(started, client.scheduler_info()["workers"])
            ]
            deadline = time.monotonic() + 300  # only a broken run waits this long
            while not all(os.path.exists(flag) for flag in started):
                if time.monotonic() > deadline:
                    sys.exit("the tasks did not start on the workers within 300 s")
                time.sleep(0.05)
            pids = [pathlib.Path(flag).read_text() for flag in started]
            print("running", *pids, flush=True)  # in the try: a Ctrl-C may come at once
            for _ in as_completed(futures):
                pass
        except KeyboardInterrupt:  # as cohort._run_on_dask
            quiet_shutdown(client)
            close_cluster(client, cluster, worker_exit=5.0)
            print("interrupted", flush=True)
            sys.exit(130)
    """
)


def test_ctrl_c_reaches_the_client_alone(tmp_path):
    """Ctrl-C on a terminal signals the process group: each Dask worker process printed its
    own KeyboardInterrupt traceback (and, cut off from the scheduler, heartbeat errors). Now the
    workers start with SIGINT blocked and the client quietens the logs as it shuts down.

    The interrupt is sent once both tasks run on their workers (they say so), not after a
    sleep; the run started with SIGINT at its default whatever this process has (see the
    script): run as a background job of a script, this test failed every time (rc 0)."""
    import os
    import signal

    proc = _run_in_own_group(_INTERRUPTED_RUN, tmp_path)
    assert proc.stdout is not None
    said, *worker_pids = proc.stdout.readline().split() or [""]
    if said != "running":
        pytest.fail(f"the run did not start: {proc.communicate(timeout=120)[1]}")
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert out == "interrupted\n"
    assert "Traceback" not in err
    assert "KeyboardInterrupt" not in err
    assert len(worker_pids) == 2
    assert not [pid for pid in worker_pids if pid_alive(int(pid))]  # no orphan worker


def test_a_finished_run_lets_its_workers_exit_without_a_warning(tmp_path):
    """A worker whose exit takes longer than Dask's 4 s (a cohort worker frees the reference
    caches it built: more than 4 s on a busy machine) is not killed: before, every normal
    ``cohort run`` ended with "Worker process still alive after 4.0 seconds, killing" per
    worker. Here the exit takes 4.5 s by design; the worker finishes it (its file is written)."""
    exited = tmp_path / "exited"
    code = textwrap.dedent(
        f"""
        import logging
        from medtwin.platform.dask_cluster import close_cluster, connect_scheduler, local_cluster

        def slow_exit():
            import atexit, pathlib, time
            def leave():
                time.sleep(4.5)
                pathlib.Path({str(exited)!r}).write_text("on its own")
            atexit.register(leave)
            return "ran"

        if __name__ == "__main__":
            logging.basicConfig(level=logging.WARNING)
            cluster = local_cluster(1)
            client = connect_scheduler(cluster)
            print(client.submit(slow_exit, pure=False).result())
            close_cluster(client, cluster)
        """
    )
    script = tmp_path / "run.py"
    script.write_text(code)
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ran"
    assert "still alive" not in proc.stderr
    assert "killing" not in proc.stderr
    assert exited.read_text() == "on its own"


_RUN_INTERRUPTED_AT_START = textwrap.dedent(
    """
    import signal, sys
    import distributed  # first: its defaults join Dask's configuration when it is imported
    import dask
    from medtwin.platform.dask_cluster import close_cluster, connect_scheduler, local_cluster

    # Each worker, as it starts and before it joins the scheduler (so local_cluster is still
    # starting): says so with its process id, then waits until the test has sent the Ctrl-C.
    ON_WORKER_START = '''
    import os, pathlib, time
    def dask_setup(worker):
        folder = pathlib.Path({folder!r})
        flag = folder / f"worker{{os.getpid()}}"
        flag.with_suffix(".tmp").write_text(str(os.getpid()))
        flag.with_suffix(".tmp").rename(flag)
        deadline = time.monotonic() + 300  # only a broken run waits this long
        while not (folder / "sent").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    '''

    if __name__ == "__main__":
        signal.signal(signal.SIGINT, signal.default_int_handler)  # see _INTERRUPTED_RUN
        preload = ON_WORKER_START.format(folder=sys.argv[1])
        with dask.config.set({"distributed.worker.preload": [preload]}):
            try:
                cluster = local_cluster(2)
            except KeyboardInterrupt:
                print("interrupted", flush=True)
                sys.exit(130)
        client = connect_scheduler(cluster)
        print(client.submit(sum, [1, 2], pure=False).result(), flush=True)
        close_cluster(client, cluster)
    """
)


def test_ctrl_c_while_the_cluster_starts_stops_the_run(tmp_path):
    """SIGINT was ignored while the workers started (so that they inherited it ignored): a
    Ctrl-C in that window (0.7 s, several seconds under load) was lost and the run went on.

    Now it stops the start: the cluster is closed and KeyboardInterrupt raised. The Ctrl-C is
    sent to the process group once both workers run their start hook (they say so and wait),
    so the client is inside ``local_cluster`` and the workers get it too (they must not
    print anything). Before the fix the run printed 3 and exited 0."""
    import os
    import signal

    proc = _run_in_own_group(_RUN_INTERRUPTED_AT_START, tmp_path)
    try:
        flags = _wait_for_files(tmp_path, "worker*[0-9]", 2, proc)
        worker_pids = [int(flag.read_text()) for flag in flags]
        os.killpg(proc.pid, signal.SIGINT)
    finally:
        (tmp_path / "sent").write_text("")  # the workers go on in any case
    out, err = proc.communicate(timeout=180)
    assert (proc.returncode, out) == (130, "interrupted\n"), err
    assert "Traceback" not in err
    assert "KeyboardInterrupt" not in err
    assert not [pid for pid in worker_pids if pid_alive(pid)]  # no orphan worker


def _run_in_own_group(code: str, folder: Path) -> subprocess.Popen[str]:
    """``code`` run as a script with ``folder`` as its argument, in a process group of its own
    (as a terminal's foreground job), its output piped."""
    script = folder / "run.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_files(folder, pattern, count, proc):  # noqa: ANN001, ANN202
    """The files ``pattern`` once ``count`` are there; fails if ``proc`` ends first."""
    import time

    deadline = time.monotonic() + 300  # only a broken run waits this long
    while len(found := sorted(folder.glob(pattern))) < count:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the workers did not start: {proc.communicate(timeout=60)[1]}")
        time.sleep(0.05)
    return found


def _sigint_blocked_here() -> bool:
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    return bool(int(fields["SigBlk"], 16) & (1 << (2 - 1)))  # bit of SIGINT (2)


def test_worker_processes_start_with_sigint_blocked_restarted_ones_too():
    """The workers' immunity to a terminal's Ctrl-C no longer depends on when they start: a
    worker the nanny restarts (after it died, or ``client.restart()``) starts with SIGINT
    blocked like the first ones. Before, the first workers had it ignored, not blocked (this
    test failed at its first assertion), and a restarted one had neither: its handler was
    asyncio's, which cancels the worker's main task."""
    from dask.distributed import Client

    with local_cluster(1) as cluster, Client(cluster) as client:
        first = client.run(os.getpid)
        assert list(client.run(_sigint_blocked_here).values()) == [True]
        client.restart()
        assert client.run(os.getpid) != first
        assert list(client.run(_sigint_blocked_here).values()) == [True]


def test_a_workers_warning_is_a_line_of_the_clients_log_above_the_bar(tmp_path):
    """A cohort worker's warning (``medtwin.platform.twins``: a twin's unfinished remains) is a
    record of the client's log, printed above its bar once, in the log's format. Before, the
    worker process, which has no handler, wrote the bare message to the terminal itself,
    appended to the bar's line. The child's stdout and stderr are a pseudo-terminal."""

    from tests.unit.cli.terminal import run_on_a_terminal, screen

    code = textwrap.dedent(
        """
        import logging, sys
        from medtwin.cli.progress import StepProgress
        from medtwin.platform.dask_cluster import close_cluster, connect_scheduler, local_cluster

        def build(pid):
            logging.getLogger("medtwin.platform.twins").warning("patient %s: removed 1", pid)
            return pid

        if __name__ == "__main__":
            logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
            logging.getLogger("distributed").setLevel(logging.WARNING)  # as cohort._run_on_dask
            with StepProgress(units={"patients": "patients"}) as bar:
                bar("patients", 0, 1)
                cluster = local_cluster(1)
                client = connect_scheduler(cluster)
                client.submit(build, "W1", pure=False).result()
                bar("patients", 1, 1)
                close_cluster(client, cluster)
        """
    )
    script = tmp_path / "run.py"
    script.write_text(code)
    code, written = run_on_a_terminal([sys.executable, str(script)], {**os.environ}, 180)
    assert code == 0, written
    lines = screen(written)
    said = [x for x in lines if "removed 1" in x]  # Dask's own lines aside
    assert said == ["WARNING medtwin.platform.twins: patient W1: removed 1"], lines
    assert not [x for x in lines if "━" in x], lines  # no bar left torn
