from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DcatConfig(AppConfig):
    """What the app brings to the portal: DCAT-AP 3.0 of both catalogs (views), sitemap.xml, robots.txt."""

    name = "interop.dcat"
    label = "dcat"
    verbose_name = _("目录互通")

    def ready(self):
        # catalog sits below interop in the layers: its JSON-LD export (catalog:export_dcat and the API's
        # ?format=jsonld) is handed to this app's writer rather than importing it.
        from catalog import exports
        from interop.dcat.views import share_jsonld

        if share_jsonld not in exports.DCAT_WRITER:
            exports.DCAT_WRITER.append(share_jsonld)
