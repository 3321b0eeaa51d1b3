"""The outbox in one process (``immediate`` queue: a job runs right after its commit)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kernel.domain.clock import utcnow
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from kernel.jobs.maintenance import Sweeper
from kernel.jobs.orm import job_runs
from tests.jobs.jobs_helpers import enqueue_and_commit, job


def platform(app):
    return app.extensions["commerce"].jobs_platform


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def test_a_job_runs_once_after_its_transaction_commits(make_app, tmp_path):
    app = make_app()
    trace = tmp_path / "trace"
    job_id = enqueue_and_commit(app, "test.record", str(trace), "hello")
    assert lines(trace) == [f"hello site={app.extensions['commerce'].site.name}"]
    run = job(app, job_id)
    assert (run.state, run.attempts, run.error) == ("succeeded", 1, None)
    assert run.finished_at >= run.started_at >= run.created_at


def test_a_job_requested_in_a_rolled_back_transaction_never_runs(make_app, tmp_path):
    app = make_app()
    trace = tmp_path / "trace"
    with app.test_request_context():
        with SqlAlchemyUnitOfWork():
            app.extensions["commerce"].jobs.enqueue("test.record", str(trace), "never")
            # leaving the unit of work without commit rolls back
        with SqlAlchemyUnitOfWork() as uow:  # a later commit in the same session relays nothing
            uow.commit()
        assert db.session.execute(sa.select(sa.func.count()).select_from(job_runs)).scalar_one() == 0
    Sweeper(platform(app).repository, platform(app).dispatcher, timedelta(seconds=60),
            clock=lambda: utcnow() + timedelta(hours=1)).sweep()
    assert not trace.exists()


def test_nothing_runs_before_the_commit(make_app, tmp_path):
    app = make_app()
    trace = tmp_path / "trace"
    with app.test_request_context():
        with SqlAlchemyUnitOfWork() as uow:
            job_id = app.extensions["commerce"].jobs.enqueue("test.record", str(trace), "later")
            assert not trace.exists()
            assert job(app, job_id) is None  # not visible outside the transaction yet
            uow.commit()
    assert len(lines(trace)) == 1


def test_a_job_left_in_the_outbox_when_the_broker_is_down_is_relayed_by_the_sweeper(make_app, tmp_path,
                                                                                      monkeypatch, log_lines):
    app = make_app()
    trace = tmp_path / "trace"
    dispatcher = platform(app).dispatcher
    real_task = dispatcher.run_task

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(dispatcher, "run_task", broker_down)
    job_id = enqueue_and_commit(app, "test.record", str(trace), "kept")
    run = job(app, job_id)
    assert (run.state, run.dispatched_at) == ("queued", None)
    assert any("not handed to the broker" in line for line in log_lines)

    monkeypatch.setattr(dispatcher, "run_task", real_task)
    sweeper = Sweeper(platform(app).repository, dispatcher, timedelta(seconds=60))
    assert sweeper.sweep().relayed == 0  # too young: still the committing process's to relay
    sweeper.clock = lambda: utcnow() + timedelta(seconds=30)
    assert sweeper.sweep().relayed == 1
    assert len(lines(trace)) == 1 and job(app, job_id).state == "succeeded"
    assert sweeper.sweep().relayed == 0


def test_a_job_is_committed_marked_as_handed_over_and_nothing_is_written_after_the_push(make_app, tmp_path):
    from kernel.testing.queries import count_queries

    app = make_app()
    with count_queries(app) as statements:
        job_id = enqueue_and_commit(app, "test.record", str(tmp_path / "trace"), "marked")
    run = job(app, job_id)
    assert run.dispatched_at is not None and run.state == "succeeded"
    assert not [s for s in statements if s.lstrip().startswith("UPDATE job_runs SET dispatched_at")]


def test_a_job_whose_process_died_before_the_push_is_relayed_a_lease_later(make_app, tmp_path, monkeypatch):
    app = make_app()
    trace = tmp_path / "trace"
    dispatcher = platform(app).dispatcher
    monkeypatch.setattr(dispatcher, "hand_over", lambda job_id, delay=None: None)  # died after the commit
    job_id = enqueue_and_commit(app, "test.record", str(trace), "late")
    assert job(app, job_id).state == "queued"
    sweeper = Sweeper(platform(app).repository, dispatcher, timedelta(seconds=60))
    sweeper.clock = lambda: utcnow() + timedelta(seconds=30)
    assert sweeper.sweep().relayed == 0  # marked as handed over: a broker may hold it
    sweeper.clock = lambda: utcnow() + timedelta(seconds=61)
    assert sweeper.sweep().relayed == 1
    assert lines(trace) == [f"late site={app.extensions['commerce'].site.name}"]


def test_a_duplicate_delivery_does_not_run_the_job_again(make_app, tmp_path):
    app = make_app()
    trace = tmp_path / "trace"
    job_id = enqueue_and_commit(app, "test.record", str(trace), "once")
    platform(app).runner.run(str(job_id))
    platform(app).dispatcher.dispatch(job_id)
    assert len(lines(trace)) == 1 and job(app, job_id).attempts == 1


def test_a_failing_job_is_retried_the_configured_number_of_times_then_kept_as_failed(make_app, log_lines):
    app = make_app()
    job_id = enqueue_and_commit(app, "test.fail", "boom")  # retries=2
    run = job(app, job_id)
    assert (run.state, run.attempts, run.max_attempts) == ("failed", 3, 3)
    assert run.error == "RuntimeError: boom"
    assert "raise RuntimeError(message)" in run.traceback
    failures = [line for line in log_lines if "test.fail" in line]
    assert sum("retrying" in line for line in failures) == 2
    assert any("failed after 3 attempt(s)" in line and "Traceback" in line for line in failures)


def test_a_job_that_fails_then_recovers_succeeds_and_forgets_its_error(make_app, tmp_path):
    app = make_app()
    trace = tmp_path / "trace"
    job_id = enqueue_and_commit(app, "test.flaky", str(trace), 2)
    run = job(app, job_id)
    assert (run.state, run.attempts, run.error) == ("succeeded", 3, None)
    assert lines(trace) == ["run 1", "run 2", "run 3"]


def test_retries_wait_longer_each_time(make_app, tmp_path, monkeypatch):
    app = make_app(jobs={"url": "immediate", "retry_delay": 10})
    now = utcnow()
    monkeypatch.setattr(platform(app).runner, "clock", lambda: now)
    job_id = enqueue_and_commit(app, "test.slow", str(tmp_path / "t"), "not-a-number")  # sleep("...") fails
    run = job(app, job_id)
    assert (run.state, run.attempts, run.run_after) == ("retrying", 1, now + timedelta(seconds=10))

    platform(app).runner.run(str(job_id))  # the scheduled retry arrives
    run = job(app, job_id)
    assert (run.state, run.attempts, run.run_after) == ("retrying", 2, now + timedelta(seconds=20))
    assert "TypeError" in run.error


def test_a_running_job_whose_worker_died_is_run_again_after_its_lease(make_app, tmp_path):
    app = make_app()
    trace = tmp_path / "trace"
    # A delayed job stays queued in immediate mode; a "worker" claims it and dies.
    job_id = enqueue_and_commit(app, "test.record", str(trace), "recovered", delay=timedelta(hours=1))
    repository = platform(app).repository
    lease = timedelta(seconds=60)
    assert repository.claim(job_id, utcnow(), lease) is not None
    sweeper = Sweeper(repository, platform(app).dispatcher, lease)
    assert sweeper.sweep().recovered == 0  # the lease still holds
    sweeper.clock = lambda: utcnow() + lease + timedelta(seconds=1)
    assert sweeper.sweep().recovered == 1
    run = job(app, job_id)
    assert (run.state, run.attempts) == ("succeeded", 2)
    assert len(lines(trace)) == 1


def test_a_lost_worker_on_the_last_attempt_fails_the_job(make_app, tmp_path):
    app = make_app(jobs={"url": "immediate", "retries": 0})
    job_id = enqueue_and_commit(app, "test.record", str(tmp_path / "t"), "x", delay=timedelta(hours=1))
    repository = platform(app).repository
    repository.claim(job_id, utcnow(), timedelta(seconds=1))
    report = Sweeper(repository, platform(app).dispatcher, timedelta(seconds=1),
                     clock=lambda: utcnow() + timedelta(seconds=5)).sweep()
    assert report.failed == 1
    run = job(app, job_id)
    assert run.state == "failed" and "lease of attempt 1 expired" in run.error


def test_a_late_outcome_of_a_taken_over_attempt_is_ignored(make_app, tmp_path):
    app = make_app()
    job_id = enqueue_and_commit(app, "test.record", str(tmp_path / "t"), "x", delay=timedelta(hours=1))
    repository = platform(app).repository
    first = repository.claim(job_id, utcnow(), timedelta(seconds=1))
    later = utcnow() + timedelta(seconds=5)
    repository.release_expired(first, later)
    second = repository.claim(job_id, later, timedelta(seconds=60))
    repository.failed(job_id, first.attempts, later, "RuntimeError: stale", None)  # the first worker wakes up
    assert job(app, job_id).state == "running"
    repository.succeeded(job_id, second.attempts, later)
    assert job(app, job_id).state == "succeeded"


def test_enqueue_refuses_unknown_tasks_and_non_json_arguments(make_app):
    app = make_app()
    with app.test_request_context():
        jobs = app.extensions["commerce"].jobs
        with pytest.raises(KeyError, match="no task named 'nope'"):
            jobs.enqueue("nope")
        with pytest.raises(TypeError, match="JSON"):
            jobs.enqueue("test.record", object(), "x")


def test_a_job_carries_the_request_id_of_the_request_that_asked_for_it(make_app, tmp_path):
    app = make_app()
    from kernel.infrastructure.logging import request_id

    with app.test_request_context():
        token = request_id.set("req-abc")
        try:
            with SqlAlchemyUnitOfWork() as uow:
                job_id = app.extensions["commerce"].jobs.enqueue("test.record", str(tmp_path / "t"), "x")
                uow.commit()
        finally:
            request_id.reset(token)
    assert job(app, job_id).request_id == "req-abc"
