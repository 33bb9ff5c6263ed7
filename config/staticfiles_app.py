"""django.contrib.staticfiles, configured for the portal (its own module: an AppConfig beside PortalConfig
in portal/apps.py would stop Django from picking PortalConfig for "portal")."""

from django.contrib.staticfiles.apps import StaticFilesConfig as StaticFilesConfigBase


class StaticFilesConfig(StaticFilesConfigBase):
    """collectstatic leaves out drf-spectacular-sidecar's ReDoc bundle: the portal serves Swagger UI
    only, and that bundle links to its vendor's CDN (no asset of the portal names an outside server)."""

    ignore_patterns = [*StaticFilesConfigBase.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
