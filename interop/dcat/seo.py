"""sitemap.xml and robots.txt of the public portal (issue 17 part 2).

The sitemap lists the public pages and every open dataset that is not withdrawn (a sitemap index with one
file per section, each paged at the protocol's 50,000 URLs by django.contrib.sitemaps). robots.txt lets
crawlers read the public pages, the open-data API and the DCAT catalogs, and keeps them out of sign-in,
staff and internal areas (they answer nothing useful to a crawler and cost the portal).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from openness import selectors as open_selectors


class PublicPages(Sitemap):
    changefreq = "weekly"
    names = [
        "open_data_home",
        "openness:datasets",
        "openness:negative_list",
        "openness:withdrawn",
        "openness:guide",
        "dcat:themes",
    ]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class OpenDatasets(Sitemap):
    changefreq = "weekly"

    def items(self):
        return open_selectors.public_datasets().order_by("pk")

    def location(self, item):
        return reverse("openness:dataset", args=[item.pk])

    def lastmod(self, item):
        return item.last_published_at


SITEMAPS = {"pages": PublicPages, "datasets": OpenDatasets}


@require_GET
def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="dcat:sitemap_section")


@require_GET
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


# Disallowed: sign-in and accounts, the admin sites and every staff area; allowed under /api/: the public
# open-data API's catalog and the CKAN-compatible API (issue 17 part 3).
DISALLOW = [
    "/admin/",
    "/accounts/",
    "/api/",
    "/audit/",
    "/catalog/",
    "/sharing/",
    "/dashboard/",
    "/inbox/",
    "/notifications/",
    "/calendar/",
    "/signatures/",
    "/secops/",
    "/encryption/",
    "/grading/",
    "/open/manage/",
    "/open/review/",
    "/open/versions/",
    "/open/keys/",
    "/open/applications/",
]
ALLOW = ["/api/open/datasets/", "/api/3/action/", "/open/", "/themes/"]


@require_GET
def robots(request):
    lines = ["User-agent: *"]
    lines += [f"Allow: {path}" for path in ALLOW]
    lines += [f"Disallow: {path}" for path in DISALLOW]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('dcat:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
