"""Issued versions of the report: the list, issuing one, a download, the difference of two."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from klebepunkt.decisions import models, versions
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.views.common import apply_validation_error
from klebepunkt.reports.render import FORMATS, MEDIA_TYPES

SECTION_TITLES = {
    "priorities": gettext_lazy("Priorities"),
    "topic_store": gettext_lazy("Topic store"),
    "texts": gettext_lazy("Texts"),
    "numbers": gettext_lazy("Numbers and decisions"),
}


class IssueForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("name of the version"),
        max_length=200,
        help_text=gettext_lazy("E.g. “Entwurf”, “Fassung für den Sozialausschuss”."),
    )
    rewording_annex = forms.BooleanField(
        label=gettext_lazy("with the history of the working out in an annex"), required=False
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_versions(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    retry = request.POST.get("retry", "") if request.method == "POST" else ""
    if retry:
        version = get_object_or_404(
            models.ReportVersion.objects.defer("frozen_report"),
            pk=retry if retry.isdigit() else 0,
            process=process,
        )
        versions.retry_version_files(version=version)
        return redirect("decisions:versions", process.pk)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued_now = versions.issue_version(
                process=process,
                label=form.cleaned_data["label"],
                translate=_,
                language=get_language() or "de",
                rewording_annex=form.cleaned_data["rewording_annex"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            issued_now.refresh_from_db(fields=["files_state"])  # a queue may have run at once
            if issued_now.files_state == models.FilesState.PENDING:
                messages.success(request, _("Version issued; its files are being made."))
            elif issued_now.files_state == models.FilesState.DONE:
                messages.success(request, _("Version issued."))
            return redirect("decisions:versions", process.pk)
    issued = versions.versions_of(process)
    formats = versions.version_formats(process)
    by_id = {str(v.pk): v for v in issued}
    old, new = by_id.get(request.GET.get("old", "")), by_id.get(request.GET.get("new", ""))
    changes = None
    if old and new:
        changes = [
            (SECTION_TITLES[change.section], change) for change in versions.diff_versions(old, new)
        ]
    return render(
        request,
        "decisions/versions.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "versions": [(version, formats.get(version.pk, [])) for version in issued],
            "pending": any(v.files_state == models.FilesState.PENDING for v in issued),
            "old": old,
            "new": new,
            "changes": changes,
        },
    )


@login_required
@require_GET
def version_download(request: HttpRequest, pk: int, version_id: int, fmt: str) -> HttpResponse:
    process, _role = process_for(request.user, pk)
    version = get_object_or_404(
        models.ReportVersion.objects.defer("frozen_report"), pk=version_id, process=process
    )
    content = versions.version_file(version, fmt) if fmt in FORMATS else None
    if content is None and fmt in FORMATS and version.files_state == models.FilesState.PENDING:
        messages.info(request, _("The files of this version are still being made."))
        return redirect("decisions:versions", process.pk)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    name = slugify(f"{process.title[:60]} {version.label[:60]}") or "bericht"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
