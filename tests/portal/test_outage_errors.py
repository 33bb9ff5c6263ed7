"""SECURITY.md, faults: an error that means the database connection was lost answers 503 with Retry-After,
also when psycopg2 reports the cut as a bare DatabaseError or an InternalError; an error about the
statement or its data stays a 500."""

import pytest
from django.db import DatabaseError, IntegrityError, InterfaceError, InternalError, OperationalError, ProgrammingError
from django.test import RequestFactory

from config.errors_views import server_error


def _answer(error):
    request = RequestFactory().get("/api/open/datasets/")
    try:
        raise error
    except Exception:  # noqa: BLE001 - server_error reads sys.exc_info() like Django's handler500
        return server_error(request)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        DatabaseError("error with status PGRES_TUPLES_OK and no message from the libpq"),
        InternalError("current transaction is aborted"),
    ],
)
def test_a_lost_connection_is_a_503(error):
    response = _answer(error)
    assert response.status_code == 503 and response["Retry-After"]


@pytest.mark.parametrize("error", [IntegrityError("duplicate key"), ProgrammingError("syntax error")])
def test_an_error_of_the_statement_stays_a_500(error, db):
    assert _answer(error).status_code == 500
