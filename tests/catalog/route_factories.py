"""URL arguments of the catalog's routes for the audit coverage walker (tests/audit/routes.py)."""

ROUTE_FACTORIES = {
    "catalog:import_job": lambda w: {"pk": 987654321},
    "catalog-import-detail": lambda w: {"pk": 987654321},
    "catalog:confirm_grades": lambda w: {"pk": 987654321},
    "catalog-entry-grades": lambda w: {"pk": 987654321},
    "catalog:synonym_edit": lambda w: {"pk": 987654321},
    "catalog:synonym_delete": lambda w: {"pk": 987654321},
    "catalog-synonym-detail": lambda w: {"pk": 987654321},
}
