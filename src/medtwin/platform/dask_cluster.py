"""The cohort's local Dask cluster, and Dask's statistical profiler kept off its workers.

A Dask worker samples its running task every 10 ms (``distributed.worker.profile``): the
worker's event loop calls ``sys._current_frames()`` and walks the task thread's frames while
the task goes on. A frame taken while the task waits in the Neo4j driver's socket read
(``receive_into_buffer`` → ``sock.recv_into(view[a:b])``) keeps its locals alive after the read
returns, among them the ``memoryview`` slice of the connection's receive buffer. If the task
then receives a message larger than that buffer (a patient's inputs, ~13 kB), the driver's
``bytearray`` resize fails with ``BufferError: Existing exports of data: object cannot be
re-sized``, and the connection is left half-read: the rollback that follows waits for the
server until the 120 s receive timeout (stop 34's CI failure; traced in stop 35 with the frames
that held the buffer: 3 of 60 runs of ``test_cohort_run_workers_store_each_patients_activities``
stalled so with the profiler, 0 of 90 without).

The profile feeds only Dask's dashboard, which cohort runs do not start, so the local cluster
is created with it off (:func:`local_cluster`), and a task on another cluster (``--scheduler``)
stops it on its worker before the first query (:func:`stop_profiler`).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from medtwin.errors import InputError

if TYPE_CHECKING:
    from dask.distributed import Client, LocalCluster
    from distributed.core import Status

__all__ = [
    "PROFILER_OFF",
    "SCHEDULER_EXAMPLE",
    "WORKER_EXIT_S",
    "checked_scheduler",
    "close_cluster",
    "connect_scheduler",
    "local_cluster",
    "quiet_shutdown",
    "stop_profiler",
]

log = logging.getLogger(__name__)

PROFILER_OFF = {"distributed.worker.profile.enabled": False}
"""Dask configuration of workers without the statistical profiler (read when a worker starts)."""

_PROFILE_CALLBACKS = ("profile", "profile-cycle")

WORKER_EXIT_S = 60.0
"""Seconds a worker process of a finished run gets to exit before it is killed (Dask: 4 s).

A worker that built and ranked twins holds the reference caches (the interactome, the gene
index, the ranking pages): freeing them as the interpreter exits took more than Dask's 4 s on a
busy machine, so every normal ``cohort run`` ended with "Worker process still alive after 4.0
seconds, killing" per worker (reproduced with a 4-million-tuple heap per worker at load 18)."""


def local_cluster(workers: int) -> LocalCluster:
    """``workers`` worker processes of one thread each, no dashboard, no profiler.

    A Ctrl-C while the cluster starts stops the start: the cluster is closed, then the interrupt
    goes on as usual (``KeyboardInterrupt``), see :func:`_sigint_deferred`. The worker processes
    never take SIGINT, see :func:`_sigint_blocked_here`.
    """
    import dask
    from dask.distributed import LocalCluster, Nanny

    class SigintBlockedNanny(Nanny):
        """A nanny whose worker processes start with SIGINT blocked (restarts included)."""

        async def instantiate(self) -> Status:
            _sigint_blocked_here()  # the IO-loop thread: its new threads spawn the workers
            return await super().instantiate()

    # The nannies copy the configuration as it is while they are made.
    with dask.config.set(PROFILER_OFF), _sigint_deferred() as interrupted:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            worker_class=SigintBlockedNanny,
            # No dashboard: port 8787 may be taken by another cluster on the machine. The
            # scheduler still serves /health on an HTTP port: a free one (":0"), else it warns.
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
            silence_logs=logging.WARNING,
        )
    if interrupted:
        log.debug("Ctrl-C while the local Dask cluster started: closing it")
        cluster.close()
        signal.raise_signal(signal.SIGINT)  # to the restored handler: KeyboardInterrupt
    return cluster


def _sigint_blocked_here() -> None:
    """Block SIGINT in the calling thread, and so in the threads and processes it starts.

    Ctrl-C on a terminal signals the whole process group: each worker process raised its own
    KeyboardInterrupt and printed a traceback, while the client closed the cluster anyway. A
    signal mask is per thread and survives ``fork`` and ``exec`` (CPython's resource tracker
    starts so too, ``multiprocessing/resource_tracker.py``): the threads that spawn the worker
    processes are made by Dask's IO-loop thread, so blocking SIGINT there starts every worker
    with it blocked, and the interrupt reaches the client alone, which closes the cluster. The
    client's own process keeps taking SIGINT: the kernel hands it to a thread that does not
    block it, and Python runs the handler in the main thread whichever thread took it.

    SIGINT was ignored instead while the workers started (an ignored signal is inherited too),
    but a disposition is the whole process's: a Ctrl-C in those 0.7 s or more was lost.
    The main thread is left alone (a loop run there would no longer see Ctrl-C).

    The resource tracker is started first if it does not run yet: starting it unblocks SIGINT
    and SIGTERM in the thread that starts it (``ensure_running``, CPython 3.11), which was this
    one, at the nanny's first queue, so the first workers of a process took SIGINT again.
    """
    if threading.current_thread() is threading.main_thread():
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


@contextmanager
def _sigint_deferred() -> Iterator[list[int]]:
    """A Ctrl-C in the block is recorded in the list yielded, not raised in the middle of it.

    A ``KeyboardInterrupt`` raised inside ``LocalCluster(...)`` would leave a half-started
    cluster that nobody holds; recorded, the caller closes the whole cluster, then interrupts.
    Nothing changes where SIGINT is not Python's to handle: outside the main thread (only it may
    set handlers) and where it is ignored (a background job of a shell keeps ignoring Ctrl-C).
    """
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGINT)
    if previous is None or previous == signal.SIG_IGN:
        yield []
        return
    interrupted: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: interrupted.append(signum))
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def quiet_shutdown(client: Client) -> None:
    """Keep an interrupted run's shutdown quiet: Dask's logs down to errors, here and on workers.

    Cancelling the running tasks makes each worker log a warning per task, and closing the
    scheduler under them an error per heartbeat; none is news to a user who pressed Ctrl-C.
    """
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        client.run(_quiet_logs)
    except Exception as e:  # noqa: BLE001 - a worker already gone must not hide the interrupt
        log.debug("workers' logs not quietened: %s", e)


def _quiet_logs() -> None:
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


def close_cluster(
    client: Client, cluster: LocalCluster | None, *, worker_exit: float = WORKER_EXIT_S
) -> None:
    """Close the client, then the local cluster's workers, then its scheduler.

    Each worker may take ``worker_exit`` s to exit; another cluster's (``--scheduler``) is left
    running.

    ``LocalCluster.close`` closes each worker's nanny with Dask's fixed 5 s, of which the worker
    process gets 4 s to exit before it is killed with a warning. The nannies are closed here
    first with ``worker_exit`` instead, so a worker that frees a large heap exits on its own;
    an interrupted run passes a short one (a worker still in a task is not waited for).
    """
    import asyncio  # with Dask: only where a cluster is closed

    client.close()  # type: ignore[no-untyped-call]
    if cluster is None:
        return
    nannies = list(cluster.workers.values())

    async def close_workers() -> None:
        await asyncio.gather(
            *(w.close(timeout=worker_exit, reason="medtwin-run-done") for w in nannies)
        )

    try:
        cluster.sync(close_workers)  # type: ignore[no-untyped-call]
    finally:
        cluster.close()


SCHEDULER_EXAMPLE = "give the scheduler's address, e.g. tcp://10.0.0.5:8786"


def checked_scheduler(address: str | None) -> str | None:
    """``address`` (``--scheduler``), refused when it is blank or no address, before any work.

    ``Client("")`` is ``Client(None)``, which starts a local cluster of its own: ``cohort run
    --scheduler ''`` ran on one without a word (stop 60's CLI probe). The form is Dask's own
    (``[scheme://]host:port``, read by its parser): ``--scheduler BAD`` was refused only when a
    patient was left to do, so a rerun of a finished cohort exited 0. Whether a scheduler
    answers there is :func:`connect_scheduler`'s, when there is work.

    >>> checked_scheduler(None), checked_scheduler("tcp://10.0.0.5:8786")
    (None, 'tcp://10.0.0.5:8786')
    >>> for bad in (" ", "BAD", "tcp://host:99999"):
    ...     try:
    ...         checked_scheduler(bad)
    ...     except InputError as e:
    ...         print(e.message)
    --scheduler ' ' names no address
    --scheduler 'BAD' is no scheduler address: missing port number in address 'BAD'
    --scheduler 'tcp://host:99999' is no scheduler address: port 99999 is not from 1 to 65535
    """
    if address is None:
        return None
    fix = f"{SCHEDULER_EXAMPLE}, or leave --scheduler out for a local cluster"
    if not address.strip():
        raise InputError(f"--scheduler {address!r} names no address", hint=fix)
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import get_backend

    try:
        scheme, where = parse_address(address, strict=False)
        backend = get_backend(scheme)  # ValueError: an unknown scheme, naming the known ones
        try:
            port = backend.get_address_host_port(where)[1]  # type: ignore[no-untyped-call]
        except NotImplementedError:  # inproc://, ucx://: no host and port to check
            port = 1
        if not 0 < port < 2**16:
            raise ValueError(f"port {port} is not from 1 to 65535")
    except ValueError as e:
        raise InputError(
            f"--scheduler {address!r} is no scheduler address: {e}", hint=fix
        ) from None
    return address


def connect_scheduler(address: str | LocalCluster, timeout: float = 10.0) -> Client:
    """A client of the local cluster, or of the Dask scheduler at ``address`` (``--scheduler``).

    Raises
    ------
    InputError
        A malformed address, or no scheduler answers there within ``timeout`` seconds (Dask
        raised ValueError / OSError with a traceback).
    """
    from dask.distributed import Client

    example = SCHEDULER_EXAMPLE
    try:
        client = Client(address, timeout=timeout)  # type: ignore[no-untyped-call]
    except ValueError as e:
        raise InputError(f"--scheduler {address!r}: {e}", hint=example) from None
    except OSError as e:  # TimeoutError included
        raise InputError(
            f"no Dask scheduler answers at {address!r} within {timeout:g} s ({e})",
            hint=f"start one (`dask scheduler`) or leave --scheduler out for a local cluster; "
            f"{example}",
        ) from None
    # A worker's log records (a twin's warning) are handled by this process's loggers: a worker
    # process has no handler, so Python's last resort wrote each bare message to the terminal
    # itself, through the CLI's progress bar (cli/above_bars.py), or, on a remote scheduler's
    # workers, to their logs only.
    client.forward_logging("medtwin")  # type: ignore[no-untyped-call]
    return client


def stop_profiler(timeout: float = 5.0) -> bool:
    """Stop the statistical profiler of the Dask worker this runs in; whether one was running.

    Outside a Dask worker, or on a worker started without it, nothing to do (``False``). The
    callbacks belong to the worker's event loop, so they are stopped there
    (``IOLoop.add_callback`` is the thread-safe entry) and this waits until that has run.
    """
    from distributed import get_worker

    try:
        worker = get_worker()
    except ValueError:  # not in a worker
        return False
    running = [
        pc
        for name in _PROFILE_CALLBACKS
        if (pc := worker.periodic_callbacks.get(name)) is not None and pc.is_running()
    ]
    if not running:
        return False
    done = threading.Event()

    def stop() -> None:
        for pc in running:
            pc.stop()
        done.set()

    worker.loop.add_callback(stop)
    if not done.wait(timeout):
        log.warning("Dask's profiler on worker %s did not stop within %.0f s", worker.name, timeout)
    return True
