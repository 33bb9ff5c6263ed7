"""The root URL configuration with the account pages included, until config/urls.py includes them
(the lead's line: path("accounts/", include("accounts.urls"))). Tests of these pages use it through
`pytest.mark.urls`; once the root includes them, this is the root unchanged."""

from django.urls import include, path

from config import urls as root

urlpatterns = list(root.urlpatterns)
if not any(getattr(p, "namespace", None) == "accounts" for p in urlpatterns):
    urlpatterns.insert(0, path("accounts/", include("accounts.urls")))

handler400 = root.handler400
handler403 = root.handler403
handler404 = root.handler404
handler500 = root.handler500
