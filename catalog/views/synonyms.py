"""检索同义词 pages (issue 18 part 8): the bureau admin lists, adds, edits and deletes the synonyms the
open-data and catalog searches expand a word with (养老院 → 养老机构); the bureau reviewer reads them.
Every change goes through catalog.services.synonyms (audited, Lhasa art. 41)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalog.services import synonyms as service
from catalog.synonyms import SearchSynonym
from portal.pages import refused
from portal.permissions import can


class SynonymForm(forms.Form):
    # lengths and characters are the service's rules (one place); the form only caps what it reads
    term = forms.CharField(
        label=gettext_lazy("检索词"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("请填写检索词。"),
            "null_characters_not_allowed": gettext_lazy("检索词为 1 至 50 个汉字、字母或数字。"),
        },
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": gettext_lazy("例如：养老院")}),
    )
    synonyms = forms.CharField(
        label=gettext_lazy("同义词"),
        max_length=2000,
        error_messages={
            "required": gettext_lazy("请至少填写一个同义词。"),
            "null_characters_not_allowed": gettext_lazy("每个同义词为 1 至 50 个汉字、字母或数字。"),
        },
        help_text=gettext_lazy("多个同义词用逗号、顿号或换行分隔，最多 10 个。"),
        widget=forms.Textarea(
            attrs={"class": "form-control", "rows": 2, "placeholder": gettext_lazy("例如：养老机构，敬老院")}
        ),
    )


def _allowed(request) -> None:
    if not service.may_view(request.user):
        raise PermissionDenied


def _editor(request) -> None:
    if not service.may_edit(request.user):
        raise PermissionDenied


@login_required
def synonym_list(request):
    """The table, with the form to add a term (the admin's; the reviewer sees the table only)."""
    _allowed(request)
    editable = service.may_edit(request.user)
    form = SynonymForm(request.POST or None) if editable else None
    status = 200
    if request.method == "POST":
        if not can(request.user, "catalog.add_searchsynonym"):
            raise PermissionDenied
        if form.is_valid():
            with refused(request, form=form):
                row = service.synonym_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("已新增检索词「%(term)s」的同义词。") % {"term": row.term})
                return redirect("catalog:synonyms")
        status = 400
    rows = SearchSynonym.objects.select_related("updated_by").order_by("term")
    return render(
        request,
        "catalog/synonyms.html",
        {"rows": rows, "form": form, "editable": editable},
        status=status,
    )


@login_required
def synonym_edit(request, pk: int):
    """One term: its synonyms, or the term itself, changed."""
    _editor(request)
    row = get_object_or_404(SearchSynonym, pk=pk)
    initial = {"term": row.term, "synonyms": "，".join(row.synonyms)}
    form = SynonymForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refused(request, form=form):
                row = service.synonym_change(actor=request.user, synonym=row, **form.cleaned_data)
                messages.success(request, _("已保存检索词「%(term)s」的同义词。") % {"term": row.term})
                return redirect("catalog:synonyms")
        status = 400
    return render(request, "catalog/synonym_edit.html", {"row": row, "form": form}, status=status)


@login_required
@require_POST
def synonym_delete(request, pk: int):
    _editor(request)
    row = get_object_or_404(SearchSynonym, pk=pk)
    with refused(request):
        service.synonym_delete(actor=request.user, synonym=row)
        messages.success(request, _("已删除检索词「%(term)s」的同义词。") % {"term": row.term})
    return redirect("catalog:synonyms")
