"""The monitoring API as staff use them (bearer tokens from identity)."""

import uuid

import pytest

from tests.jobs.jobs_helpers import enqueue_and_commit, job


@pytest.fixture
def site(make_app):
    return make_app()


@pytest.fixture
def staff(site, auth_headers):
    return auth_headers(site, role="staff")


def test_a_failed_job_shows_in_the_api_with_its_error(site, staff, tmp_path):
    client = site.test_client()
    failed = enqueue_and_commit(site, "test.fail", "card declined")
    enqueue_and_commit(site, "test.record", str(tmp_path / "t"), "fine")

    page = client.get("/api/admin/jobs?state=failed", headers=staff)
    assert page.status_code == 200
    body = page.get_json()
    assert body["totalCount"] == 1 and body["page"] == 1
    [item] = body["items"]
    assert item["id"] == str(failed)
    assert (item["task"], item["state"], item["attempts"], item["maxAttempts"]) == ("test.fail", "failed", 3, 3)
    assert item["error"] == "RuntimeError: card declined"
    assert item["argumentsSummary"] == '"card declined"'

    detail = client.get(f"/api/admin/jobs/{failed}", headers=staff).get_json()
    assert detail["arguments"] == {"args": ["card declined"], "kwargs": {}}
    assert "RuntimeError: card declined" in detail["traceback"]


def test_jobs_are_listed_newest_first_in_pages_and_filtered_by_task(site, staff, tmp_path):
    ids = [enqueue_and_commit(site, "test.record", str(tmp_path / "t"), f"n{n}") for n in range(3)]
    client = site.test_client()
    body = client.get("/api/admin/jobs?task=test.record&page=2&pageSize=2", headers=staff).get_json()
    assert body["totalCount"] == 3 and [item["id"] for item in body["items"]] == [str(ids[0])]
    assert client.get("/api/admin/jobs?task=nothing", headers=staff).get_json()["totalCount"] == 0


def test_bad_filters_are_refused_naming_the_field(site, staff):
    response = site.test_client().get("/api/admin/jobs?state=exploded", headers=staff)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "state" in response.get_json()["errors"]


def test_retrying_a_failed_job_runs_it_again(site, staff, tmp_path):
    failed = enqueue_and_commit(site, "test.flaky", str(tmp_path / "runs"), 4)  # fails 4 runs: all its attempts
    assert (job(site, failed).state, job(site, failed).attempts) == ("failed", 4)
    response = site.test_client().post(f"/api/admin/jobs/{failed}/retry", headers=staff)
    assert response.status_code == 202
    assert response.get_json()["state"] == "succeeded"  # immediate queue: it already ran
    run = job(site, failed)
    assert (run.state, run.attempts, run.error) == ("succeeded", 1, None)


def test_only_a_failed_job_can_be_retried_and_a_missing_one_is_404(site, staff, tmp_path):
    done = enqueue_and_commit(site, "test.record", str(tmp_path / "t"), "ok")
    client = site.test_client()
    conflict = client.post(f"/api/admin/jobs/{done}/retry", headers=staff)
    assert conflict.status_code == 409 and conflict.get_json()["state"] == "succeeded"
    assert client.get(f"/api/admin/jobs/{uuid.uuid4()}", headers=staff).status_code == 404


def test_the_counts_list_every_state(site, staff, tmp_path):
    enqueue_and_commit(site, "test.record", str(tmp_path / "t"), "ok")
    enqueue_and_commit(site, "test.fail", "broken")
    counts = site.test_client().get("/api/admin/jobs/counts", headers=staff).get_json()
    assert counts == {"queued": 0, "running": 0, "succeeded": 1, "failed": 1, "retrying": 0}


NO_SUCH_JOB = uuid.UUID(int=1)  # a fixed id: the test ids stay the same from one collection to the next


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/admin/jobs"), ("GET", f"/api/admin/jobs/{NO_SUCH_JOB}"),
    ("POST", f"/api/admin/jobs/{NO_SUCH_JOB}/retry"), ("GET", "/api/admin/jobs/counts"),
])
def test_the_jobs_views_need_a_token_and_staff_permissions(site, auth_headers, method, path):
    client = site.test_client()
    anonymous = client.open(path, method=method)
    assert anonymous.status_code == 401 and anonymous.mimetype == "application/problem+json"
    customer = client.open(path, method=method, headers=auth_headers(site, role="customer"))
    assert customer.status_code == 403
