"""The production settings, with plain static file storage: the manifest storage needs collectstatic
(minutes of compression), and how static files are named has nothing to do with the headers tested."""

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
