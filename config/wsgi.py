import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Refuse to serve without the master key that opens the encrypted data (SECURITY.md "Encryption at rest").
from protection.encryption.checks import verify_at_startup  # noqa: E402

verify_at_startup()
