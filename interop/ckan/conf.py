"""Settings of the CKAN-compatible API and the Data Packages, with their defaults (settings.CKAN overrides)."""

from django.conf import settings

DEFAULTS = {
    # CKAN caps package_search's rows at 1000 (ckan.search.rows_max); the portal does the same
    "ROWS_MAX": 1000,
    "ROWS_DEFAULT": 10,
    # datastore_search's default page (CKAN: 100); its maximum is the datastore's MAX_PAGE_SIZE
    "DATASTORE_LIMIT_DEFAULT": 100,
    # the version of CKAN's action API the answers follow (status_show's ckan_version)
    "CKAN_VERSION": "2.10.0",
    # the licence every open dataset is published under: the portal's terms of use (Tongren art. 28)
    "LICENSE_ID": "other-open",
}


def setting(name: str):
    return getattr(settings, "CKAN", {}).get(name, DEFAULTS[name])
