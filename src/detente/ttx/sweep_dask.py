"""Run a sweep's chunks on Dask: a private local cluster, or an existing one.

`workers=K` starts a :class:`distributed.LocalCluster` of K worker *processes* with one thread
each (NumPy work does not share the GIL well; processes use both cores), the dashboard disabled
and every socket bound to the loopback interface, and closes it afterwards. `scheduler=ADDRESS`
connects to an existing cluster instead (its workers must have the same version of détente
installed, since the job is shipped with cloudpickle and refers to détente's modules).

Dask's nannies set ``MALLOC_TRIM_THRESHOLD_=65536`` in their workers' environment (to give memory
back to the OS sooner). Setting any glibc trim threshold also switches off glibc's *dynamic* mmap
threshold, so every array above 128 KiB — most of the engine's arrays at 25,000 runs — is then
a fresh ``mmap`` with its page faults and a ``munmap`` on release: with that variable set the
engine played the Korea pack 2.6× slower (112,000 → 44,000 runs per CPU-second, batches of
25,000). The local cluster therefore unsets that variable for its workers. For an existing
cluster, give its nannies a Dask configuration file (e.g. in ``~/.config/dask/`` or the folder
named by ``DASK_CONFIG``) with ``distributed: {nanny: {pre-spawn-environ:
{MALLOC_TRIM_THRESHOLD_: null}}}`` (an environment variable cannot do it: Dask lower-cases the
key it builds from one). Results are identical either way; only the speed differs.

The job (compiled scenario, profiles, measures) is scattered to every worker once; each task plays
one chunk and returns its :class:`~detente.ttx.sweep.Tally` — a few kilobytes of counts whatever
the chunk size — so the client never holds per-run arrays. Tallies are merged in chunk order
(the sum is exact and order-free anyway), hence the same result as one process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from detente.ttx.sweep import Progress, SweepJob, Tally, merge_tallies, run_chunk

UNSET_TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
"""Dask config key whose value None keeps the variable out of the workers' environment."""


class SchedulerUnavailable(RuntimeError):
    """The Dask scheduler could not be reached (bad address, refused, timed out)."""


if TYPE_CHECKING:
    from distributed import LocalCluster


def local_cluster(workers: int) -> LocalCluster:
    """A private cluster on this machine: `workers` single-threaded worker processes, every
    socket on the loopback interface, no dashboard, and no HTTP routes (Dask still opens its
    HTTP listeners, on loopback, but serves nothing: no health or metrics pages), glibc's
    dynamic mmap threshold left on, no statistical profiler (it only feeds the dashboard, and
    samples the computing thread 100 times a second). Close it when done."""
    import dask.config
    from distributed import LocalCluster

    quiet: dict[str, object] = {
        UNSET_TRIM: None,
        "distributed.worker.profile.enabled": False,
        "distributed.scheduler.http.routes": [],
        "distributed.worker.http.routes": [],
    }
    with dask.config.set(quiet):
        return LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            scheduler_port=0,
            worker_dashboard_address=None,
        )


def run_distributed(
    job: SweepJob,
    parts: Sequence[tuple[int, int]],
    *,
    workers: int = 0,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Tally:
    """Tally every ``(start, size)`` chunk of `parts` on Dask and merge the tallies.

    Uses `scheduler` when given, else a local cluster of `workers` processes (at least one).
    Raises :class:`SchedulerUnavailable` when the scheduler address is malformed or cannot be
    reached, and re-raises a task's error."""
    from distributed import Client, as_completed

    total_runs = sum(size for _, size in parts)
    cluster: LocalCluster | None = None
    if scheduler is None:
        cluster = local_cluster(workers)
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        try:
            client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerUnavailable(
                f"cannot use the Dask scheduler at {scheduler!r}: {exc}"
            ) from exc
    try:
        [shared] = client.scatter([job], broadcast=True)  # type: ignore[no-untyped-call]
        futures = {
            client.submit(run_chunk, shared, start, size, pure=False): (start, size)
            for start, size in parts
        }
        by_start: dict[int, Tally] = {}
        done = 0
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            start, size = futures[future]
            by_start[start] = future.result()
            future.release()
            done += size
            if progress is not None:
                progress(done, total_runs)
        return merge_tallies(by_start[start] for start in sorted(by_start))
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
