"""Applications for 依申请开放 data (docs/features.md O3).

Lhasa art. 30: data open on application is obtained by applying to the providing department;
an applicant who disputes the answer may ask the bureau to re-review it. Hechi art. 34: the
department keeps an application channel and answers reasonable requests in time; Hechi art. 28
(and Lhasa art. 19 for conditional sharing): within 5 working days, a setting here. The deadline
is a row (due_at) swept by a periodic job, counted on the working-day calendar.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from openness import selectors, transitions
from openness.conf import setting
from openness.models import Application, Dataset, OpenKind
from portal import workdays
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.permissions import can, require
from portal.roles import Role
from portal.selectors import users_with_role
from portal.services.notifications import notify

APPLY = "openness.add_application"
PUBLISH = "portal.publish_open_data"
REREVIEW = "openness.rereview_application"
A = Application.Status


def _required(field: str, value: str, message: str, *, max_length: int = 2000) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="invalid_application", errors={field: [message]})
    if len(value) > max_length:
        message = _("内容不能超过 %(n)d 个字。") % {"n": max_length}
        raise DomainError(message, code="invalid_application", errors={field: [message]})
    return value


def _locked(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.dataset = Dataset.objects.select_related("department", "published_version").get(
        pk=application.dataset_id
    )
    return application


def _officers(dataset: Dataset):
    return users_with_role(Role.DATA_OFFICER, department=dataset.department)


def _title(dataset: Dataset) -> str:
    """The title of a dataset an application is about: a published one (applications are made to those)."""
    version = dataset.published_version
    assert version is not None, "applications are made to published datasets"
    return version.title


@transaction.atomic
def application_submit(*, actor, dataset: Dataset, purpose: str, intended_use: str) -> Application:
    """A registered public user applies for a dataset open on application, stating purpose and use."""
    require(actor, APPLY)
    dataset = (
        Dataset.objects.select_for_update(of=("self",))
        .select_related("department", "published_version")
        .get(pk=dataset.pk)
    )
    if dataset.published_version is None or dataset.is_withdrawn:
        raise InvalidTransitionError(_("该数据集未发布或已撤回，不能申请。"))
    if dataset.published_version.open_type != OpenKind.ON_APPLICATION:
        raise InvalidTransitionError(_("该数据集无条件开放，无需申请即可下载。"))
    if not selectors.accepts_applications(dataset):
        raise InvalidTransitionError(_("该数据集的资源目录已调整为不予开放，不再受理申请。"))
    purpose = _required("purpose", purpose, _("请填写申请用途。"))
    intended_use = _required("intended_use", intended_use, _("请填写数据的使用方式。"))
    now = timezone.now()
    open_ones = Application.objects.filter(dataset=dataset, applicant=actor, status__in=[A.PENDING, A.REREVIEW])
    granted = Application.objects.filter(dataset=dataset, applicant=actor, status=A.APPROVED, expires_at__gt=now)
    if open_ones.exists() or granted.exists():
        raise InvalidTransitionError(_("您已有该数据集的申请在办理中或仍在有效期内。"))
    application = Application.objects.create(
        dataset=dataset,
        applicant=actor,
        purpose=purpose,
        intended_use=intended_use,
        due_at=workdays.add_working_days(now, setting("APPLICATION_WORKING_DAYS")),
    )
    record(
        "openness.application.submit",
        actor=actor,
        target=application,
        detail={"dataset": dataset.pk, "due_at": application.due_at.isoformat()},
    )
    notify(
        users=_officers(dataset),
        kind="openness.application",
        key=f"openness.application:{application.pk}",
        title=_("开放数据申请待答复：%(t)s") % {"t": _title(dataset)},
        body=purpose[:200],
        url=reverse("openness:application", args=[application.pk]),
    )
    return application


def _decide_as_provider(actor, application: Application) -> None:
    if not can(actor, PUBLISH, application.dataset.department):
        raise PermissionDeniedError(_("只有数据提供部门的数据管理员可以答复申请。"))


def _grant_until(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=int(setting("GRANT_DAYS")))


@transaction.atomic
def application_approve(*, actor, application: Application, answer: str = "") -> Application:
    """The providing department agrees: the applicant may download the dataset until expires_at."""
    application = _locked(application)
    _decide_as_provider(actor, application)
    transitions.move(application, "approve")
    now = timezone.now()
    application.answered_by, application.answered_at = actor, now
    application.answer = (answer or "").strip()[:2000]
    application.expires_at = _grant_until(now)
    transitions.save(application, ["answered_by", "answered_at", "answer", "expires_at"])
    record(
        "openness.application.approve",
        actor=actor,
        target=application,
        detail={
            "dataset": application.dataset_id,
            "expires_at": application.expires_at.isoformat(),
            "on_time": now <= application.due_at,
        },
    )
    _tell_applicant(
        application,
        "openness.application.approved",
        _("开放数据申请已同意：%(t)s") % {"t": _title(application.dataset)},
    )
    return application


@transaction.atomic
def application_refuse(*, actor, application: Application, answer: str) -> Application:
    """The providing department refuses, with its reasons (the applicant may ask for a re-review)."""
    application = _locked(application)
    _decide_as_provider(actor, application)
    answer = _required("answer", answer, _("不同意申请时必须说明理由。"))
    transitions.move(application, "refuse")
    now = timezone.now()
    application.answered_by, application.answered_at, application.answer = actor, now, answer
    transitions.save(application, ["answered_by", "answered_at", "answer"])
    record(
        "openness.application.refuse",
        actor=actor,
        target=application,
        detail={"dataset": application.dataset_id, "answer": answer, "on_time": now <= application.due_at},
    )
    _tell_applicant(
        application,
        "openness.application.refused",
        _("开放数据申请未获同意：%(t)s") % {"t": _title(application.dataset)},
        body=answer,
    )
    return application


@transaction.atomic
def application_request_rereview(*, actor, application: Application, reason: str) -> Application:
    """Lhasa art. 30: the applicant asks the bureau to re-review a refusal, or an answer that is overdue.
    A re-review is asked once."""
    application = _locked(application)
    if application.applicant_id != actor.pk:
        raise PermissionDeniedError(_("只有申请人可以申请复核。"))
    reason = _required("reason", reason, _("请填写申请复核的理由。"))
    now = timezone.now()
    if application.rereview_requested_at is not None:
        raise InvalidTransitionError(_("该申请已复核过，不能再次申请复核。"))
    if application.status == A.PENDING and now <= application.due_at:
        raise InvalidTransitionError(_("数据提供部门的答复期限未到，期限过后仍未答复的可以申请复核。"))
    transitions.move(application, "request_rereview")
    application.rereview_reason, application.rereview_requested_at = reason, now
    application.rereview_due_at = workdays.add_working_days(now, setting("REREVIEW_WORKING_DAYS"))
    transitions.save(application, ["rereview_reason", "rereview_requested_at", "rereview_due_at"])
    record(
        "openness.application.rereview_request",
        actor=actor,
        target=application,
        detail={"dataset": application.dataset_id, "reason": reason, "due_at": application.rereview_due_at.isoformat()},
    )
    notify(
        users=users_with_role(Role.BUREAU_REVIEWER),
        kind="openness.rereview",
        key=f"openness.rereview:{application.pk}",
        title=_("开放数据申请待复核：%(t)s") % {"t": _title(application.dataset)},
        body=reason[:200],
        url=reverse("openness:application", args=[application.pk]),
    )
    return application


@transaction.atomic
def application_rereview_decide(*, actor, application: Application, approve: bool, comment: str) -> Application:
    """The bureau's re-review: it overturns the refusal (access granted) or upholds it, with its reasons."""
    application = _locked(application)
    require(actor, REREVIEW, application)
    comment = _required("comment", comment, _("请填写复核意见。"))
    transitions.move(application, "overturn" if approve else "uphold")
    now = timezone.now()
    application.rereviewed_by, application.rereviewed_at, application.rereview_comment = actor, now, comment
    fields = ["rereviewed_by", "rereviewed_at", "rereview_comment"]
    if approve:
        application.expires_at = _grant_until(now)
        fields.append("expires_at")
    transitions.save(application, fields)
    record(
        "openness.application.rereview_decide",
        actor=actor,
        target=application,
        detail={"dataset": application.dataset_id, "approved": approve, "comment": comment},
    )
    title = _title(application.dataset)
    _tell_applicant(
        application,
        "openness.application.rereviewed",
        (_("复核结果：同意开放「%(t)s」") if approve else _("复核结果：维持不予同意「%(t)s」")) % {"t": title},
        body=comment,
    )
    notify(
        users=_officers(application.dataset),
        kind="openness.application.rereviewed",
        key=f"openness.application.rereviewed:{application.pk}:dept",
        title=_("大数据局已复核开放数据申请：%(t)s") % {"t": title},
        body=comment,
        url=reverse("openness:application", args=[application.pk]),
    )
    return application


def close_for_withdrawn_dataset(*, actor, dataset: Dataset, reason: str) -> int:
    """The dataset is withdrawn (by its department, the bureau, or with its catalog entry): the
    applications still waiting for an answer are refused, and those before the bureau for a
    re-review upheld, each with the withdrawal as its reason, recorded and told to the applicant as
    a normal answer. Runs inside the withdrawal, which was the permission check. Returns how many."""
    now = timezone.now()
    title = dataset.published_version.title if dataset.published_version is not None else ""
    answer = _("数据集已撤回：%(r)s") % {"r": reason}
    closed = 0
    for application in (
        Application.objects.select_for_update()
        .select_related("applicant")
        .filter(dataset=dataset, status__in=[A.PENDING, A.REREVIEW])
        .order_by("pk")
    ):
        application.dataset = dataset
        if application.status == A.PENDING:
            transitions.move(application, "refuse")
            application.answered_by, application.answered_at, application.answer = actor, now, answer
            transitions.save(application, ["answered_by", "answered_at", "answer"])
            record(
                "openness.application.refuse",
                actor=actor,
                target=application,
                detail={
                    "dataset": dataset.pk,
                    "answer": answer,
                    "on_time": now <= application.due_at,
                    "cause": "openness.dataset.withdraw",
                },
            )
            _tell_applicant(
                application,
                "openness.application.refused",
                _("开放数据申请未获同意：%(t)s") % {"t": title},
                body=answer,
            )
        else:
            transitions.move(application, "uphold")
            application.rereviewed_by, application.rereviewed_at, application.rereview_comment = actor, now, answer
            transitions.save(application, ["rereviewed_by", "rereviewed_at", "rereview_comment"])
            record(
                "openness.application.rereview_decide",
                actor=actor,
                target=application,
                detail={
                    "dataset": dataset.pk,
                    "approved": False,
                    "comment": answer,
                    "cause": "openness.dataset.withdraw",
                },
            )
            _tell_applicant(
                application,
                "openness.application.rereviewed",
                _("复核结果：维持不予同意「%(t)s」") % {"t": title},
                body=answer,
            )
        closed += 1
    return closed


def _tell_applicant(application: Application, kind: str, title: str, body: str = "") -> None:
    notify(
        users=[application.applicant],
        kind=kind,
        key=f"{kind}:{application.pk}",
        title=title,
        body=body,
        url=reverse("openness:application", args=[application.pk]),
    )


def sweep_overdue(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Warn once about each application (or re-review) past its deadline: the providing department
    and the bureau (Lhasa art. 43: overdue warnings). Safe to run twice at once (SKIP LOCKED; the
    warning time is the mark; notifications keyed on the application)."""
    now = now or timezone.now()
    warned = 0
    with transaction.atomic():
        overdue = (
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("dataset__department", "dataset__published_version")
            .filter(overdue_warned_at__isnull=True)
            .filter(status=A.PENDING, due_at__lt=now)
            .order_by("due_at")[:batch]
        )
        for application in overdue:
            application.overdue_warned_at = now
            application.save(update_fields=["overdue_warned_at"])
            title = _title(application.dataset)
            record(
                "openness.application.overdue",
                target=application,
                detail={"dataset": application.dataset_id, "due_at": application.due_at.isoformat()},
            )
            users = set(_officers(application.dataset)) | set(users_with_role(Role.BUREAU_REVIEWER))
            notify(
                users=users,
                kind="openness.application.overdue",
                key=f"openness.application.overdue:{application.pk}",
                title=_("开放数据申请已超过答复期限：%(t)s") % {"t": title},
                url=reverse("openness:application", args=[application.pk]),
            )
            notify(
                users=[application.applicant],
                kind="openness.application.overdue",
                key=f"openness.application.overdue:{application.pk}:applicant",
                title=_("您的开放数据申请已超过答复期限，可以申请大数据局复核：%(t)s") % {"t": title},
                url=reverse("openness:application", args=[application.pk]),
            )
            warned += 1
        rereviews = (
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("dataset__published_version")
            .filter(status=A.REREVIEW, rereview_due_at__lt=now, rereview_warned_at__isnull=True)
            .order_by("rereview_due_at")[:batch]
        )
        for application in rereviews:
            assert application.rereview_due_at is not None  # the query asks for a due re-review
            application.rereview_warned_at = now
            application.save(update_fields=["rereview_warned_at"])
            record(
                "openness.application.rereview_overdue",
                target=application,
                detail={"dataset": application.dataset_id, "due_at": application.rereview_due_at.isoformat()},
            )
            notify(
                users=users_with_role(Role.BUREAU_REVIEWER),
                kind="openness.rereview.overdue",
                key=f"openness.rereview.overdue:{application.pk}",
                title=_("开放数据申请复核已超期：%(t)s") % {"t": _title(application.dataset)},
                url=reverse("openness:application", args=[application.pk]),
            )
            warned += 1
    return warned
