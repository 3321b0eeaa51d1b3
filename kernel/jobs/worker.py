"""``commerce worker``: Huey's consumer plus the maintenance loop (sweeper and periodic scheduler);
and the same inside ``commerce serve`` for the demo (:func:`jobs_in_process`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from huey.consumer import Consumer
from loguru import logger

from kernel.jobs.platform import JobsPlatform


def maintain(platform: JobsPlatform, stop: threading.Event) -> None:
    """Sweep and schedule every ``[jobs] sweep_seconds`` until ``stop`` is set."""
    while True:
        for step in (platform.sweeper.sweep, platform.scheduler.tick):
            try:
                step()
            except Exception:  # database or broker away: keep the worker alive, try again later
                logger.exception("jobs maintenance step {} failed", step.__qualname__)
        if stop.wait(platform.settings["sweep_seconds"]):
            return


class EmbeddedConsumer(Consumer):
    """A consumer inside another program (the development server), which keeps its signals."""

    def _set_signal_handlers(self):
        pass


@contextmanager
def jobs_in_process(platform: JobsPlatform, workers: int, shutdown_seconds: float = 30) -> Iterator[None]:
    """Run the site's jobs in worker threads of this process while the block runs; on leaving
    it, take no new job and let the running ones finish (at most ``shutdown_seconds``)."""
    stop = threading.Event()
    maintenance = threading.Thread(target=maintain, args=(platform, stop), name="jobs-maintenance", daemon=True)
    consumer = EmbeddedConsumer(platform.huey, workers=workers, worker_type="thread", periodic=False,
                                shutdown_timeout=shutdown_seconds)
    consumer.start()
    maintenance.start()
    try:
        yield
    finally:
        stop.set()
        consumer.stop(graceful=True)
        maintenance.join(timeout=5)
        logger.info("in-process jobs stopped")


def run_worker(platform: JobsPlatform, workers: int) -> None:
    """Run until stopped. SIGTERM (what compose and Kubernetes send) stops gracefully: no new
    jobs, running ones finish; SIGINT stops at once. Huey's own periodic scheduler stays off:
    periodic jobs go through :class:`kernel.jobs.maintenance.PeriodicScheduler`, safe with
    several workers."""
    stop = threading.Event()
    maintenance = threading.Thread(target=maintain, args=(platform, stop), name="jobs-maintenance", daemon=True)
    consumer = platform.huey.create_consumer(workers=workers, worker_type="thread", periodic=False,
                                             graceful_signal="TERM")
    maintenance.start()
    try:
        consumer.run()
    finally:
        stop.set()
        maintenance.join(timeout=5)
