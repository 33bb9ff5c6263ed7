"""The request guard's upload limit is the largest file an app accepts, as the apps declare it
(the base imports no app: their plugins declare it, portal.uploads.upload_maxima)."""

from portal import uploads


def test_the_limit_follows_the_largest_file_an_app_accepts(settings):
    settings.UPLOAD_MAX_BYTES = None
    settings.CATALOG_LOADS = {**getattr(settings, "CATALOG_LOADS", {}), "max_bytes": 3 * 1024 * 1024}
    settings.OPEN_DATA = {**(settings.OPEN_DATA or {}), "UPLOAD_MAX_BYTES": 5 * 1024 * 1024}
    assert uploads.upload_limit() == 5 * 1024 * 1024 + uploads.MULTIPART_OVERHEAD
    settings.CATALOG_LOADS = {**settings.CATALOG_LOADS, "max_bytes": 7 * 1024 * 1024}
    assert uploads.upload_limit() == 7 * 1024 * 1024 + uploads.MULTIPART_OVERHEAD


def test_an_explicit_setting_wins(settings):
    settings.UPLOAD_MAX_BYTES = 123456
    assert uploads.upload_limit() == 123456
