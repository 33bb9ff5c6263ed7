"""URL arguments of each route of the permission matrix, per object variant.

key: route name ("namespace:name"), or the pattern of an unnamed route; value: {variant: factory},
where a factory takes the World and returns the URL's keyword arguments. The variant "" is the
route's default object. Admin routes take theirs from tests/audit/routes.py (one object per model).
"""

from __future__ import annotations

MISSING = 987654321  # an id that exists nowhere


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def _missing_year(year):
    """A year in the bureau admin's "工作日历缺失" warning, so that dismissing it really happens."""
    from portal.models import MissingCalendarYear

    return MissingCalendarYear.objects.get_or_create(year=year)[0].year


def _entry(attr):
    return lambda w: {"entry_pk": getattr(w, attr).pk}


def _catalog_import(w):
    from tests.catalog.factories import catalog_import

    return catalog_import(w.officer)


ROUTE_ARGS: dict[str, dict[str, callable]] = {
    # portal
    "notification_read": {"": _pk("notification")},
    "notification-read": {"": _pk("notification")},
    "department-detail": {"": lambda w: {"pk": w.dept_a.pk}},
    "calendar-day-detail": {"": lambda w: {"date": "2026-10-01"}},
    "calendar_missing_dismiss": {"": lambda w: {"year": _missing_year(2031)}},
    "password_reset_confirm": {"": lambda w: {"uidb64": "MQ", "token": "no-such-token"}},
    "openness:register_confirm": {"": lambda w: {"uidb64": "MQ", "token": "no-such-token"}},
    # audit
    "audit:entry": {"": _pk("audit_entry")},
    "audit-entry-detail": {"": _pk("audit_entry")},
    # catalog: pages
    "catalog:detail": {"draft": _pk("draft"), "published": _pk("published")},
    "catalog:edit": {"draft": _pk("draft")},
    "catalog:submit": {"draft": _pk("draft")},
    "catalog:approve": {"submitted": _pk("submitted")},
    "catalog:return": {"submitted": _pk("submitted")},
    "catalog:confirm_grades": {"published": _pk("published")},
    "catalog:revise": {"published": _pk("published")},
    "catalog:withdraw": {"published": _pk("published")},
    "catalog:version": {
        "draft": lambda w: {"pk": w.draft.pk, "number": 1},
        "published": lambda w: {"pk": w.published.pk, "number": 1},
    },
    "catalog:compare": {"published": _pk("published")},
    "catalog:upload": {"published": _pk("published")},
    "catalog:load": {"": _pk("load")},
    "catalog:load_remove": {"": _pk("load")},
    "catalog:duty_confirm": {"": _pk("duty")},
    # catalog: API
    "catalog-entry-detail": {"draft": _pk("draft"), "published": _pk("published")},
    "catalog-entry-approve": {"submitted": _pk("submitted")},
    "catalog-entry-return-": {"submitted": _pk("submitted")},
    "catalog-entry-grades": {"published": _pk("published")},
    "catalog-entry-submit": {"draft": _pk("draft")},
    "catalog-entry-revise": {"published": _pk("published")},
    "catalog-entry-withdraw": {"published": _pk("published")},
    "catalog-entry-versions": {"draft": _pk("draft"), "published": _pk("published")},
    "catalog-entry-rows": {"draft": _pk("draft"), "published": _pk("published")},
    "catalog-entry-loads": {"published": _pk("published")},
    "catalog-load-detail": {"": _pk("load")},
    "catalog-load-remove": {"": _pk("load")},
    "catalog-duty-confirm": {"": _pk("duty")},
    "catalog:import_job": {"": lambda w: {"pk": _catalog_import(w).pk}},
    "catalog-import-detail": {"": lambda w: {"pk": _catalog_import(w).pk}},
    # open data: pages
    "openness:dataset": {"": _pk("dataset"), "on_application": _pk("on_application_dataset")},
    "openness:download": {
        "": lambda w: {"pk": w.dataset.pk, "fmt": "csv"},
        "on_application": lambda w: {"pk": w.on_application_dataset.pk, "fmt": "csv"},
    },
    "openness:version_download": {"": lambda w: {"pk": w.dataset.pk, "number": 1, "fmt": "json"}},
    "openness:apply": {"on_application": _pk("on_application_dataset")},
    "openness:withdraw": {"": _pk("dataset")},
    "openness:confirm_current": {"": _pk("dataset")},
    "openness:key_revoke": {"": _pk("api_key")},
    "openness:key_renew": {"": _pk("api_key")},
    "openness:application": {"": _pk("open_application"), "other_applicant": _pk("other_application")},
    "openness:application_answer": {"": _pk("open_application")},
    "openness:application_rereview": {"": _pk("refused_application")},
    "openness:application_rereview_decide": {"": _pk("rereview_application")},
    "openness:dataset_manage": {"": _pk("dataset")},
    "openness:propose_entry": {"": _entry("published")},
    "openness:propose_upload": {"": lambda w: {"upload_pk": w.upload.pk}},
    "openness:version": {"published": _pk("dataset_version"), "proposed": _pk("proposed_version")},
    "openness:version_approve": {"proposed": _pk("proposed_version")},
    "openness:version_return": {"proposed": _pk("proposed_version")},
    # open data: API
    "open-api-dataset-detail": {"": _pk("dataset")},
    "open-api-dataset-rows": {"": _pk("dataset"), "on_application": _pk("on_application_dataset")},
    "open-api-dataset-withdraw": {"": _pk("dataset")},
    "open-api-key-revoke": {"": _pk("api_key")},
    "open-api-key-renew": {"": _pk("api_key")},
    "open-api-application-answer": {"": _pk("open_application")},
    "open-api-application-rereview": {"": _pk("refused_application")},
    "open-api-application-rereview-decide": {"": _pk("rereview_application")},
    "open-api-version-approve": {"proposed": _pk("proposed_version")},
    "open-api-version-return": {"proposed": _pk("proposed_version")},
    # sharing: pages
    "sharing:apply": {"": lambda w: {"entry_pk": w.grant.entry_id}},
    "sharing:application": {"": _pk("share_application")},
    "sharing:application_approve": {"": _pk("share_application")},
    "sharing:application_refuse": {"": _pk("share_application")},
    "sharing:application_co_approve": {"": _pk("share_application")},
    "sharing:application_cancel": {"": _pk("share_application")},
    **{
        f"sharing:{name}": {"": _pk("grant"), "foreign": _pk("foreign_grant")}
        for name in ("grant", "grant_query", "grant_compare", "grant_statistics", "grant_revoke", "objection_new")
    },
    "sharing:grant_pull": {
        "": lambda w: {"pk": w.grant.pk, "fmt": "csv"},
        "foreign": lambda w: {"pk": w.foreign_grant.pk, "fmt": "csv"},
    },
    "sharing:objection": {"": _pk("objection")},
    "sharing:objection_answer": {"": _pk("objection")},
    "sharing:coordination_new": {"": lambda w: {"entry_pk": w.not_shared_entry.pk}},
    **{
        f"sharing:{name}": {"": _pk("coordination")}
        for name in ("coordination", "coordination_answer", "coordination_escalate", "coordination_conclude")
    },
    "sharing:scenario_edit": {"": _pk("scenario")},
    # sharing: API
    **{
        f"sharing-application-{name}": {"": _pk("share_application")}
        for name in ("detail", "approve", "cancel", "refuse", "co-approve")
    },
    **{
        f"sharing-grant-{name}": {"": _pk("grant"), "foreign": _pk("foreign_grant")}
        for name in ("detail", "compare", "pull", "query", "revoke", "statistics")
    },
    "sharing-objection-detail": {"": _pk("objection")},
    "sharing-objection-answer": {"": _pk("objection")},
    **{
        f"sharing-coordination-{name}": {"": _pk("coordination")}
        for name in ("detail", "answer", "conclude", "escalate")
    },
    "sharing-scenario-detail": {"": _pk("scenario")},
    # portal: settings the bureau owns and the calendar's month grid (issue 19 parts 4, 5)
    "policy_detail": {"": lambda w: {"key": "OBJECTION_WORKING_DAYS"}},
    "api_policy_detail": {"": lambda w: {"key": "OBJECTION_WORKING_DAYS"}},
    # admin site: one object per model (tests/audit/routes.py), and these
    "admin:app_list": {"": lambda w: {"app_label": "portal"}},
    "admin:view_on_site": {
        "": lambda w: {"content_type_id": w.content_type("portal.department").pk, "object_id": w.dept_a.pk}
    },
    "admin:auth_user_password_change": {"": lambda w: {"id": w.users["own"].pk}},
    "admin/(?P<url>.*)$": {"": lambda w: {"url": "nowhere/"}},
}


def _token(w):
    from django.apps import apps

    return {"object_id": apps.get_model("authtoken.Token").objects.get_or_create(user=w.users["own"])[0].pk}


for _suffix in ("change", "delete", "history"):
    ROUTE_ARGS[f"admin:authtoken_tokenproxy_{_suffix}"] = {"": _token}
ROUTE_ARGS["admin/authtoken/tokenproxy/<path:object_id>/"] = {"": _token}


def _receipt(w):
    """A receipt of a delivery of w.grant (held by B, provided by A)."""
    from protection.signatures.models import Receipt
    from protection.signatures.services import receipts

    found = Receipt.objects.filter(grant_id=w.grant.pk).first()
    if found is None:
        found = receipts.write(
            receipts.Delivery(
                grant_id=w.grant.pk,
                mode="pull",
                channel="api",
                requester_id=w.users["other"].pk,
                requester_department_id=w.dept_b.pk,
                provider_department_id=w.dept_a.pk,
                rows=1,
            ),
            digest_hex="0" * 64,
            name="sm3",
            size=1,
        )
    return {"uid": found.uid}


def _decision(w):
    from protection.signatures.models import SignedDecision

    return {"uid": SignedDecision.objects.get(grant_id=w.grant.pk, kind="approval").uid}


def _certificate(w):
    from protection.signatures.services import keys

    return {"pk": keys.platform_certificate().pk}


ROUTE_ARGS.update(
    {
        "signatures:receipt_evidence": {"": _receipt},
        "signatures-receipt-detail": {"": _receipt},
        "signatures-receipt-evidence": {"": _receipt},
        "signatures:decision_evidence": {"": _decision},
        "signatures-decision-detail": {"": _decision},
        "signatures-decision-evidence": {"": _decision},
        "signatures:certificate_revoke": {"": _certificate},
        "signatures-certificate-detail": {"": _certificate},
        "signatures-certificate-revoke": {"": _certificate},
    }
)


def args_for(key: str) -> dict[str, callable] | None:
    found = ROUTE_ARGS.get(key)
    if found is not None:
        return found
    from tests.audit.routes import MODEL_FACTORIES, _admin_objects  # noqa: F401 - one object per admin model

    admin = _admin_objects(None)
    if key in admin:
        return {"": admin[key]}
    return None


# users and departments (issue 19 part 6) and the search synonyms (issue 18 part 8): an id that exists
# nowhere is enough for the walks that use these (the answer's form, not its content, is walked)
ROUTE_ARGS.update(
    {
        **{
            f"staff-user-{name}": {"": lambda w: {"pk": MISSING}}
            for name in ("detail", "deactivate", "password-reset", "reactivate", "unlock")
        },
        "managed-department-detail": {"": lambda w: {"pk": MISSING}},
        "catalog-synonym-detail": {"": lambda w: {"pk": MISSING}},
    }
)

# the security operations APIs (issue 16): detail and action routes by id
ROUTE_ARGS.update(
    {
        key: {"": lambda w: {"pk": MISSING}}
        for key in (
            "selfchecks-run-detail selfchecks-finding-detail selfchecks-assessment-detail detection-rule-detail"
            " detection-alert-detail detection-alert-close detection-alert-escalate incidents-incident-detail"
            " incidents-incident-contain incidents-incident-move incidents-incident-notify"
            " incidents-incident-report-upward incidents-incident-scope incidents-hold-lift incidents-report-download"
        ).split()
        if key not in ROUTE_ARGS
    }
)
