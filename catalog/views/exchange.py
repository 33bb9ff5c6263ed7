"""Catalog export (CSV, Excel, DCAT JSON-LD) and import pages (docs/features.md C6)."""
import csv
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.services import record
from catalog import exchange, selectors
from catalog.forms import ImportForm
from catalog.models import CatalogImport, EntryVersion, ShareType
from catalog.services import imports
from portal.pages import refused
from portal.permissions import can
from portal.visibility import hidden_404


def published_for(user):
    """Published versions the user can list, with what they may see of each."""
    qs = (selectors.versions_searchable_by(user).filter(status=EntryVersion.Status.PUBLISHED)
          .select_related("entry__department").prefetch_related("items").order_by("entry__code"))
    for version in qs.iterator(chunk_size=500):
        details = version.share_type != ShareType.NOT_SHARED or selectors.may_see_working(user, version.entry)
        yield version, details


class _Echo:
    def write(self, value):
        return value


def _filename(ext):
    return f"catalog-{timezone.localdate():%Y%m%d}.{ext}"


@login_required
def export_csv(request):
    record("catalog.export", detail={"format": "csv"})
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so that Excel opens UTF-8 with Chinese headers
        yield writer.writerow(exchange.HEADERS)
        for version, details in published_for(request.user):
            yield writer.writerow(exchange.row_for(version, details=details))

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@login_required
def export_xlsx(request):
    record("catalog.export", detail={"format": "xlsx"})
    content = exchange.write_xlsx(published_for(request.user))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


@login_required
def export_dcat(request):
    record("catalog.export", detail={"format": "dcat"})
    versions = [v for v, _details in published_for(request.user)]
    document = exchange.dcat(versions, base_url=request.build_absolute_uri("/").rstrip("/"),
                             title=str(settings.PORTAL_TITLE))
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json")


@login_required
def import_entries(request):
    """The import form. A small workbook is imported at once, a large one by a job (SECURITY.md 14.7); either
    way the import's own page shows its result (and, while it runs, its progress)."""
    department = request.user.department
    if department is None or not can(request.user, "portal.maintain_catalog", department):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form, default_field="file", permission_as_message=True):
            job = imports.import_start(actor=request.user, department=department, upload=form.cleaned_data["file"])
            return redirect("catalog:import_job", pk=job.pk)
    recent = CatalogImport.objects.filter(created_by=request.user).order_by("-created_at")[:10]
    return render(request, "catalog/import.html", {"form": form, "recent": recent})


@login_required
def import_job(request, pk):
    """One import: its progress while its job runs (the page polls itself), then its report."""
    job = CatalogImport.objects.select_related("department").filter(pk=pk).first()
    if job is None:
        raise Http404
    if not imports.may_see_import(request.user, job):
        raise hidden_404(job)  # SECURITY.md 14.4: someone else's import, audited
    context = {"job": job, "progress": imports.import_progress(job)}
    template = "catalog/_import_status.html" if request.htmx else "catalog/import_job.html"
    return render(request, template, context)
