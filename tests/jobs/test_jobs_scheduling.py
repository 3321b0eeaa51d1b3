"""Periodic jobs, back-off and pruning."""

from datetime import UTC, datetime, timedelta

import pytest

from kernel.domain.clock import utcnow
from kernel.jobs import domain
from kernel.jobs.maintenance import PeriodicScheduler, cron
from kernel.jobs.services import JobMonitor
from kernel.site import SiteError
from tests.jobs.jobs_helpers import enqueue_and_commit, job


def test_back_off_doubles_and_is_capped():
    assert [domain.retry_delay(n, 10).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert domain.retry_delay(30, 10) == domain.MAX_RETRY_DELAY


def test_two_workers_create_a_periodic_job_once_per_due_minute(make_app):
    app = make_app()
    jobs = app.extensions["commerce"].jobs_platform
    minute = datetime(2026, 11, 25, 3, 17, 20, tzinfo=UTC)

    def scheduler():  # each worker process has its own scheduler
        return PeriodicScheduler(jobs.repository, jobs.queue, jobs.dispatcher, list(jobs.specs.values()),
                                 clock=lambda: minute)

    first, second = scheduler(), scheduler()
    # prune runs daily at 03:17, forgetting idempotency keys hourly at :17, the event relay every minute
    assert sorted(first.tick()) == ["events.relay", "idempotency.purge", "jobs.prune", "test.every_minute"]
    assert second.tick() == []
    assert first.tick() == []  # same minute again
    monitor = JobMonitor(jobs.repository, jobs.dispatcher)
    runs, total = monitor.list(task="test.every_minute")
    assert total == 1 and runs[0].state == "succeeded"

    minute += timedelta(minutes=1)
    assert sorted(second.tick()) == ["events.relay", "test.every_minute"] and first.tick() == []


def test_a_bad_schedule_stops_start_up_with_one_line(make_app, monkeypatch):
    import jobs_test_plugin

    from kernel.jobs import TaskSpec

    monkeypatch.setattr(jobs_test_plugin, "commerce_tasks",
                        jobs_test_plugin.hookimpl(lambda site: [TaskSpec("x.bad", print, schedule="61 * * * *")]))
    with pytest.raises(SiteError, match=r"schedule '61 \* \* \* \*'"):
        make_app()
    with pytest.raises(ValueError, match="five cron fields"):
        cron("* *")


def test_pruning_forgets_old_finished_jobs_only(make_app, tmp_path):
    app = make_app()
    jobs = app.extensions["commerce"].jobs_platform
    done = enqueue_and_commit(app, "test.record", str(tmp_path / "t"), "old")
    failed = enqueue_and_commit(app, "test.fail", "old")
    waiting = enqueue_and_commit(app, "test.record", str(tmp_path / "t"), "later", delay=timedelta(days=30))
    monitor = JobMonitor(jobs.repository, jobs.dispatcher, clock=lambda: utcnow() + timedelta(days=15))
    assert monitor.prune(keep_days=14) == 2
    assert job(app, done) is None and job(app, failed) is None
    assert job(app, waiting).state == "queued"
    assert JobMonitor(jobs.repository, jobs.dispatcher).prune(keep_days=14) == 0
