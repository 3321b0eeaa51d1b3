"""Real ``commerce worker`` processes: a worker killed mid-job, and a web process and a worker
sharing a site on Redis."""

import signal
from pathlib import Path

from tests.jobs.jobs_helpers import enqueue_and_commit, job, wait_for, write_worker_site


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_a_job_whose_worker_is_killed_mid_run_completes_once_a_worker_restarts(make_app, start_worker, tmp_path):
    app = make_app(jobs={"url": f"sqlite:///{tmp_path / 'queue.db'}", "lease_seconds": 2, "sweep_seconds": 1})
    site_file = write_worker_site(app, tmp_path / "site.toml")
    trace = tmp_path / "trace"
    job_id = enqueue_and_commit(app, "test.slow", str(trace), 3)
    assert job(app, job_id).dispatched_at is not None  # handed to the (SQLite) broker after commit

    first = start_worker(site_file)
    wait_for(lambda: any(line.startswith("started") for line in lines(trace)), what="the job to start")
    assert job(app, job_id).state == "running"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert "done" not in lines(trace)

    second = start_worker(site_file)
    run = wait_for(lambda: (r := job(app, job_id)).state == "succeeded" and r, what="the job to succeed")
    assert run.attempts == 2
    started = [line for line in lines(trace) if line.startswith("started")]
    assert started == [f"started pid={first.pid}", f"started pid={second.pid}"]
    assert lines(trace).count("done") == 1


def test_a_worker_on_redis_runs_jobs_the_web_process_enqueued(make_app, start_worker, redis_server_url, tmp_path,
                                                               auth_headers):
    app = make_app(jobs={"url": redis_server_url, "sweep_seconds": 1})
    site_file = write_worker_site(app, tmp_path / "site.toml")
    start_worker(site_file)
    trace = tmp_path / "trace"
    ok = [enqueue_and_commit(app, "test.record", str(trace), f"job {n}") for n in range(3)]
    failing = enqueue_and_commit(app, "test.fail", "broken on purpose")
    wait_for(lambda: all(job(app, job_id).state == "succeeded" for job_id in ok), what="the jobs to succeed")
    wait_for(lambda: job(app, failing).state == "failed", what="the failing job to fail")
    site = app.extensions["commerce"].site.name
    assert sorted(lines(trace)) == [f"job {n} site={site}" for n in range(3)]
    assert job(app, failing).attempts == 3 and job(app, failing).error == "RuntimeError: broken on purpose"

    staff = auth_headers(app, role="staff")
    counts = app.test_client().get("/api/admin/jobs/counts", headers=staff).get_json()
    assert counts["failed"] == 1 and counts["succeeded"] >= 3 and counts["queued"] == 0  # + the kernel's own jobs
    failures = app.test_client().get("/api/admin/jobs?state=failed", headers=staff).get_json()["items"]
    assert [(row["id"], row["error"]) for row in failures] == [(str(failing), "RuntimeError: broken on purpose")]
    done = app.test_client().get("/api/admin/jobs?state=succeeded&pageSize=100", headers=staff).get_json()["items"]
    assert {str(job_id) for job_id in ok} <= {row["id"] for row in done}


def test_sigterm_lets_the_running_job_finish_before_the_worker_exits(make_app, start_worker, tmp_path):
    app = make_app(jobs={"url": f"sqlite:///{tmp_path / 'queue.db'}", "sweep_seconds": 1})
    site_file = write_worker_site(app, tmp_path / "site.toml")
    trace = tmp_path / "trace"
    job_id = enqueue_and_commit(app, "test.slow", str(trace), 2)
    worker = start_worker(site_file)
    wait_for(lambda: any(line.startswith("started") for line in lines(trace)), what="the job to start")
    worker.send_signal(signal.SIGTERM)  # what compose and Kubernetes send on stop
    assert worker.wait(timeout=30) == 0
    assert lines(trace)[-1] == "done"
    assert job(app, job_id).state == "succeeded" and job(app, job_id).attempts == 1
