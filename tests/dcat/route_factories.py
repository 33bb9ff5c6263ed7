"""URL arguments of the interop.dcat routes for the audit coverage walker (tests/audit/routes.py looks here by
the app's label, `dcat`)."""

ROUTE_FACTORIES = {"dcat:sitemap_section": lambda w: {"section": "datasets"}}
