"""Pooled PostgreSQL connections are checked only when they come back from sitting idle."""

import time

import pytest
import sqlalchemy as sa

from kernel.infrastructure.db import ping_idle_connections

PID = sa.text("SELECT pg_backend_pid()")


@pytest.fixture
def pool_of_one(pg_url):
    engine = sa.create_engine(pg_url, pool_size=1, max_overflow=0)
    ping_idle_connections(engine, idle_seconds=0.2)
    yield engine
    engine.dispose()


def kill(pg_url: str, pid: int) -> None:
    admin = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        assert connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(PID).scalar()


def test_a_connection_that_died_while_idle_is_replaced_before_use(pool_of_one, pg_url):
    first = backend_pid(pool_of_one)
    kill(pg_url, first)
    time.sleep(0.3)
    assert backend_pid(pool_of_one) not in (None, first)  # no error reached the caller


def test_a_connection_in_steady_use_is_not_checked_and_its_death_fails_that_use_only(pool_of_one, pg_url):
    first = backend_pid(pool_of_one)
    kill(pg_url, first)
    with pytest.raises(sa.exc.OperationalError):  # used again at once: no round trip spent checking it
        backend_pid(pool_of_one)
    assert backend_pid(pool_of_one) != first  # the pool started afresh
