"""Dask clusters for the commands that run tasks on Dask: ``gunmane criticality
--partition``, ``gunmane plan --compare ... --workers`` and ``gunmane report --regions-by``.

Dask is an optional extra (``pip install 'gunmane-geo[dask]'``); without it the plain
runs work as before and these options say how to install it (``require_dask``).
A command opens one client (``open_client``: a new ``LocalCluster`` by default, an
existing scheduler when given), runs its tasks, and closes it (``close_client``).
Results that must survive a failed or interrupted run are written with
``write_atomically`` (temporary name, then renamed).
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

DASK_FIX = ("pip install 'gunmane-geo[dask]' (or pip install 'dask[distributed]')")


def dask_missing(option: str = "--partition") -> str:
    """The message for ``option`` when ``dask.distributed`` is not installed."""
    return (f"{option} needs dask.distributed, which is not installed; fix: {DASK_FIX}, "
            f"or run without {option}")


def require_dask(option: str = "--partition"):
    """Import ``dask.distributed`` or raise ``InputError`` saying how to install it
    (naming ``option``, the command-line option that needs it)."""
    try:
        import distributed
    except ImportError:
        raise InputError(dask_missing(option), source="command line") from None
    return distributed


def open_client(*, workers: int | None = None, scheduler: str | None = None,
                connect_timeout_s: float = 30.0, option: str = "--partition"):
    """A ``distributed.Client``: on ``scheduler`` (an address such as tcp://host:8786) when
    given, else on a new ``LocalCluster`` of ``workers`` processes (one thread each;
    default: the number of CPU cores); ``connect_timeout_s`` bounds the wait for the
    scheduler (seconds).  Close it with ``close_client``."""
    distributed = require_dask(option)
    import logging
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout=connect_timeout_s)
        except OSError as exc:
            raise InputError(f"--scheduler {scheduler}: cannot reach the Dask scheduler "
                             f"({exc}); fix: start one ('dask scheduler' and 'dask worker "
                             f"ADDRESS' on the machines) or check the address, or leave "
                             "--scheduler out for a local cluster",
                             source="command line") from None
    if workers is not None and int(workers) < 1:    # 0 must not mean "all cores"
        raise InputError(f"--workers must be 1 or more, not {workers}", source="command line")
    n = int(workers or os.cpu_count() or 1)
    # distributed sets OMP_NUM_THREADS, PYTHONHASHSEED, MALLOC_TRIM_THRESHOLD_ ... in this
    # process's environment to pass them to its workers; put ours back once they started,
    # so that programs this process starts later do not inherit them
    saved = dict(os.environ)
    try:
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.ERROR)
        return distributed.Client(cluster)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def close_client(client) -> None:
    """Close a client from ``open_client`` and the local cluster it started, if any."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def check_dask_options(args, *, needs: str) -> None:
    """``--workers``/``--scheduler`` only go with ``needs`` (e.g. ``--compare``)."""
    if getattr(args, "workers", None) is not None or getattr(args, "scheduler", None):
        raise InputError(f"--workers and --scheduler go with {needs}", source="command line")


def write_atomically(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that a reader sees the whole file or none: written
    under a temporary name beside it (``io.writers.replace_when_done``), flushed to disk,
    then renamed over ``path``; a failed write leaves no temporary file."""
    from .io.writers import replace_when_done
    path = Path(path)
    with replace_when_done(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    return path
