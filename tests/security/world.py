"""The world of the permission matrix: two departments, one user per column of the matrix, and objects
of the owning department in each state a route acts on.

Columns (SECURITY.md, permission matrix):
    anon     nobody signed in
    public   a registered public user (公众用户; the applicant of the open-data application)
    own      department staff of the owning department (A)
    other    department staff of another department (B)
    officer  the data officer of the owning department (A)
    reviewer a bureau reviewer
    admin    a bureau admin
    auditor  an auditor
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.utils import timezone

from portal.roles import Role
from tests.factories import DepartmentFactory, user_with_role

COLUMNS = ("anon", "public", "own", "other", "officer", "reviewer", "admin", "auditor")


class World:
    """`mark` is appended to every name and free text the world writes (the hostile-input tests put
    HTML and script there and look for it, unescaped, on every page)."""

    def __init__(self, mark: str = ""):
        self.mark = mark
        m = mark
        self.dept_a = DepartmentFactory(name="甲部门" + m)
        self.dept_b = DepartmentFactory(name="乙部门" + m)

        def user(role, column, **kwargs):
            return user_with_role(role, username=f"m_{column}", real_name=f"{column}{m}"[:100], **kwargs)

        self.users = {
            "public": user(Role.PUBLIC, "public"),
            "own": user(Role.DEPARTMENT_STAFF, "own", department=self.dept_a),
            "other": user(Role.DEPARTMENT_STAFF, "other", department=self.dept_b),
            "officer": user(Role.DATA_OFFICER, "officer", department=self.dept_a),
            "reviewer": user(Role.BUREAU_REVIEWER, "reviewer"),
            "admin": user(Role.BUREAU_ADMIN, "admin"),
            "auditor": user(Role.AUDITOR, "auditor"),
        }
        self.officer = self.users["officer"]
        self.staff = self.users["own"]  # tests/audit/routes.py's admin objects use .officer and .staff
        self.reviewer = self.users["reviewer"]
        self.public = self.users["public"]
        self.officer_b = user_with_role(Role.DATA_OFFICER, department=self.dept_b, username="m_officer_b")
        self.public_2 = user_with_role(Role.PUBLIC, username="m_public_2")

    def _texts(self) -> dict:
        """Free-text fields of an entry, carrying the mark."""
        m = self.mark
        return {"summary": "摘要" + m, "theme": "市场监管" + m, "usage_requirements": "要求" + m} if m else {}

    # --- catalog ---------------------------------------------------------------------------------
    @cached_property
    def draft(self):
        from tests.catalog.factories import draft

        return draft(self.officer, name="甲部门草稿资源" + self.mark, **self._texts())

    @cached_property
    def submitted(self):
        from catalog.services import entries
        from tests.catalog.factories import draft

        entry = draft(self.officer, name="甲部门待审资源" + self.mark)
        entries.entry_submit(actor=self.officer, entry=entry)
        return entry

    @cached_property
    def published(self):
        """A published, shared entry of A with rows loaded (also the source of the open dataset)."""
        return self.dataset.entry

    @cached_property
    def load(self):
        from catalog.models import DataLoad

        return DataLoad.objects.filter(entry=self.published, status=DataLoad.Status.SUCCEEDED).latest("id")

    @cached_property
    def duty(self):
        from catalog.services import duties

        self.published  # noqa: B018 - the duty is created for A's published entries
        change = duties.duty_change_record(
            actor=self.reviewer,
            department=self.dept_a,
            kind="law",
            description="法规修订" + self.mark,
            effective_date=timezone.localdate(),
        )
        return change.duties.first()

    # --- open data -------------------------------------------------------------------------------
    @cached_property
    def _published_pair(self):
        from tests.openness.factories import published_dataset

        return published_dataset(self.officer, self.reviewer, name="甲部门开放数据" + self.mark, **self._texts())

    @cached_property
    def dataset(self):
        return self._published_pair[0]

    @cached_property
    def dataset_version(self):
        return self._published_pair[1]

    @cached_property
    def on_application_dataset(self):
        from tests.openness.factories import published_dataset

        return published_dataset(
            self.officer,
            self.reviewer,
            name="甲部门依申请开放数据" + self.mark,
            open_type="on_application",
            open_condition="须说明用途",
        )[0]

    def _on_application(self, name):
        from tests.openness.factories import published_dataset

        return published_dataset(
            self.officer, self.reviewer, name=name, open_type="on_application", open_condition="须说明用途"
        )[0]

    @cached_property
    def open_application(self):
        """A public user's pending application for A's on-application dataset."""
        from openness.services import applications

        return applications.application_submit(
            actor=self.public,
            dataset=self.on_application_dataset,
            purpose="研究" + self.mark,
            intended_use="统计分析" + self.mark,
        )

    @cached_property
    def refused_application(self):
        """A refused application of the public user (re-review may be requested and decided)."""
        from openness.services import applications

        application = applications.application_submit(
            actor=self.public, dataset=self._on_application("乙数据"), purpose="再研究", intended_use="统计"
        )
        return applications.application_refuse(actor=self.officer, application=application, answer="不符合条件")

    @cached_property
    def rereview_application(self):
        from openness.services import applications

        application = applications.application_submit(
            actor=self.public, dataset=self._on_application("丙数据"), purpose="复核研究", intended_use="统计"
        )
        application = applications.application_refuse(actor=self.officer, application=application, answer="不符合条件")
        return applications.application_request_rereview(actor=self.public, application=application, reason="理由充分")

    @cached_property
    def other_application(self):
        """Another public user's application: not the public column's."""
        from openness.services import applications

        return applications.application_submit(
            actor=self.public_2, dataset=self.on_application_dataset, purpose="他人研究", intended_use="统计"
        )

    @cached_property
    def proposed_version(self):
        """A version of A's entry proposed for publication, waiting for the bureau."""
        from tests.openness.factories import entry_with_rows, propose

        entry = entry_with_rows(self.officer, [_company(40)], reviewer=self.reviewer, name="甲部门拟开放" + self.mark)
        return propose(self.officer, entry)

    @cached_property
    def upload(self):
        from openness.services import uploads
        from tests.openness.factories import company, csv_upload

        return uploads.upload_create(
            actor=self.officer,
            department=self.dept_a,
            upload=csv_upload([company(n) for n in range(50, 53)], name="甲上传.csv"),
        )

    @cached_property
    def api_key(self):
        from openness.services import apikeys

        return apikeys.apikey_create(actor=self.public, name="矩阵")[0]

    # --- sharing: A provides, B (the "other" column) applies and holds grants -------------------
    def _share_entry(self, name, share_type="conditional"):
        from tests.sharing.factories import entry, people_rows

        return entry(
            self.officer,
            self.reviewer,
            share_type=share_type,
            name=name + self.mark,
            rows=people_rows() if share_type != "not_shared" else None,
        )

    def _apply(self, applicant, entry, mode="query"):
        import datetime as dt

        from sharing.services import applications

        return applications.application_submit(
            actor=applicant,
            entry=entry,
            purpose="核定待遇" + self.mark,
            scenario_text="社会救助审核" + self.mark,
            items=["id_number", "name", "district", "amount"],
            mode=mode,
            end_date=timezone.localdate() + dt.timedelta(days=90),
        )

    @cached_property
    def share_application(self):
        """B's pending application for A's conditional entry."""
        return self._apply(self.users["other"], self._share_entry("甲部门低保对象"))

    @cached_property
    def grant(self):
        """A grant held by B on A's entry (every mode: the use routes are reached)."""
        from sharing.services import applications

        application = self._apply(
            self.users["other"],
            self._share_entry(
                "甲部门低保授权",
            ),
            mode="pull",
        )
        return applications.application_approve(actor=self.officer, application=application)

    @cached_property
    def foreign_grant(self):
        """A grant held by a third department C: neither B nor A's staff may use it."""
        from sharing.services import applications

        dept_c = DepartmentFactory(name="丙部门")
        holder = user_with_role(Role.DEPARTMENT_STAFF, department=dept_c, username="m_third")
        application = self._apply(holder, self._share_entry("甲部门第三方授权"), mode="pull")
        return applications.application_approve(actor=self.officer, application=application)

    @cached_property
    def objection(self):
        from sharing.services import objections

        return objections.objection_raise(
            actor=self.users["other"], grant=self.grant, rows="第1行", items=["name"], reason="姓名有误" + self.mark
        )

    @cached_property
    def not_shared_entry(self):
        return self._share_entry("甲部门不予共享", share_type="not_shared")

    @cached_property
    def coordination(self):
        from sharing.services import coordination

        return coordination.coordination_open(
            actor=self.users["other"], entry=self.not_shared_entry, need="履职需要" + self.mark
        )

    @cached_property
    def scenario(self):
        from sharing.services import scenarios

        return scenarios.scenario_save(
            actor=self.users["admin"],
            name="低保核定" + self.mark,
            entry=self.share_application.entry,
            items=["id_number", "name"],
            modes=["query"],
        )

    # --- portal and audit ------------------------------------------------------------------------
    @cached_property
    def notification(self):
        """A notification of the owning department's staff member."""
        from portal.models import Notification
        from portal.services.notifications import notify

        notify(
            users=[self.users["own"]], kind="catalog.duty", key="matrix", title="矩阵通知" + self.mark, body=self.mark
        )
        return Notification.objects.get(key="matrix", user=self.users["own"])

    @cached_property
    def audit_entry(self):
        from audit.services import record

        return record("test.matrix", actor=self.officer)

    def content_type(self, label):
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(apps.get_model(label))

    def build(self):
        """Everything at once (before the walk: each call runs in a savepoint that is rolled back)."""
        for name in (
            "draft",
            "submitted",
            "published",
            "load",
            "duty",
            "dataset",
            "dataset_version",
            "on_application_dataset",
            "open_application",
            "refused_application",
            "rereview_application",
            "other_application",
            "proposed_version",
            "upload",
            "api_key",
            "notification",
            "audit_entry",
            "share_application",
            "grant",
            "foreign_grant",
            "objection",
            "coordination",
            "scenario",
        ):
            getattr(self, name)
        return self


def _company(n):
    from tests.openness.factories import company

    return company(n)


def today() -> dt.date:
    return timezone.localdate()
