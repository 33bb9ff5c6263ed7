"""URL arguments of the interop.ckan routes for the audit coverage walker (tests/audit/routes.py looks here by
the app's label, `ckan`): a dataset that does not exist is enough there."""

ROUTE_FACTORIES = {"ckan_public:datapackage": lambda w: {"pk": 987654321}}
