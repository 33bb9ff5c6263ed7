"""Catalog export (CSV, Excel, DCAT JSON-LD) and import pages (docs/features.md C6)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from catalog import exports, selectors
from catalog.forms import ImportForm
from catalog.models import CatalogImport
from catalog.services import imports
from portal.pages import refused
from portal.permissions import can
from portal.visibility import visible_or_404


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def export_csv(request):
    return exports.export_response(user=request.user, fmt="csv", base_url=_base_url(request))


@login_required
def export_xlsx(request):
    return exports.export_response(user=request.user, fmt="xlsx", base_url=_base_url(request))


@login_required
def export_dcat(request):
    return exports.export_response(user=request.user, fmt="jsonld", base_url=_base_url(request))


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
    job = visible_or_404(selectors.imports_visible_to(request.user), pk=pk)  # SECURITY.md 14.4: audited when hidden
    context = {"job": job, "progress": imports.import_progress(job)}
    template = "catalog/_import_status.html" if request.htmx else "catalog/import_job.html"
    return render(request, template, context)
