"""Content negotiation of the API: JSON whatever the client asks for (SECURITY.md 14.19).

The API renders JSON only (REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] in config/settings/base.py):
DRF's browsable page answered every `/api/` URL opened in a browser, or asked for with
`?format=api`, with HTML, to anonymous users too. With the browsable renderer gone, DRF's own
negotiation would answer such a request 404 (an unknown `format`) or 406 (an `Accept: text/html`
with no `*/*`); this one answers it with the view's first renderer instead, so a browser sees the
same JSON an API client gets. Views with renderers of their own (the OpenAPI schema, Swagger UI)
keep them: only a request their renderers cannot satisfy falls back.
"""

from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class JSONFallbackNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except (Http404, NotAcceptable):
            return renderers[0], renderers[0].media_type
