"""The portal's URLs plus one bare view: the baseline of B3 (a plain Django view returning 50 rows
of a datastore table as JSON: no DRF, no token, no permission check, no audit entry)."""

from django.db import connection
from django.http import Http404, JsonResponse
from django.urls import include, path
from psycopg2 import sql

from catalog.datastore.columns import SCHEMA, is_identifier


def bare_rows(request, table: str):
    """GET /bench/bare/<table>/?columns=a,b&<column>=<value>&page=N: 50 rows, ordered by _row."""
    columns = [c for c in request.GET.get("columns", "").split(",") if c]
    if not is_identifier(table) or not columns or not all(map(is_identifier, columns)):
        raise Http404
    filters = {k: v for k, v in request.GET.items() if k not in ("columns", "page")}
    if not all(map(is_identifier, filters)):
        raise Http404
    page = max(1, int(request.GET.get("page", "1")))
    where = (
        sql.SQL(" AND ").join(sql.SQL("{} = %s").format(sql.Identifier(k)) for k in filters)
        if filters
        else sql.SQL("true")
    )
    query = sql.SQL("SELECT {} FROM {}.{} WHERE {} ORDER BY _row LIMIT 50 OFFSET %s").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(SCHEMA), sql.Identifier(table), where
    )
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.cursor), [*filters.values(), (page - 1) * 50])
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    return JsonResponse({"page": page, "rows": rows})


urlpatterns = [
    path("bench/bare/<str:table>/", bare_rows, name="bench_bare"),
    path("", include("config.urls")),
]

# the portal's error pages, as with its own URLconf
from config.urls import handler400, handler403, handler404, handler500  # noqa: E402,F401
