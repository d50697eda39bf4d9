"""Run a sweep's chunks on Dask: a private local cluster, or an existing one.

`workers=K` starts a :class:`distributed.LocalCluster` of K worker *processes* with one thread
each (NumPy work does not share the GIL well; processes use both cores), the dashboard disabled
and every socket bound to the loopback interface, and closes it afterwards. `scheduler=ADDRESS`
connects to an existing cluster instead (its workers must have the same version of détente
installed, since the job is shipped with cloudpickle and refers to détente's modules).

The job (compiled scenario, profiles, measures) is scattered to every worker once; each task plays
one chunk and returns its :class:`~detente.ttx.sweep.Tally` — a few kilobytes of counts whatever
the chunk size — so the client never holds per-run arrays. Tallies are merged in chunk order
(the sum is exact and order-free anyway), hence the same result as one process.
"""

from __future__ import annotations

from collections.abc import Sequence

from detente.ttx.sweep import Progress, SweepJob, Tally, merge_tallies, run_chunk


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
    Raises whatever Dask raises when the scheduler cannot be reached (``OSError`` or
    ``TimeoutError``), and re-raises a task's error."""
    from distributed import Client, LocalCluster, as_completed

    total_runs = sum(size for _, size in parts)
    cluster: LocalCluster | None = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            scheduler_port=0,
            worker_dashboard_address=None,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="10s")
    try:
        [shared] = client.scatter([job], broadcast=True)
        futures = {
            client.submit(run_chunk, shared, start, size, pure=False): (start, size)
            for start, size in parts
        }
        by_start: dict[int, Tally] = {}
        done = 0
        for future in as_completed(futures):
            start, size = futures[future]
            by_start[start] = future.result()
            future.release()
            done += size
            if progress is not None:
                progress(done, total_runs)
        return merge_tallies(by_start[start] for start in sorted(by_start))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
