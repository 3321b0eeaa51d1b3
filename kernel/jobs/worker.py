"""``commerce worker``: Huey's consumer plus the maintenance loop (sweeper and periodic scheduler)."""

from __future__ import annotations

import threading

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
