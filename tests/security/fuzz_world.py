"""The world the API fuzzer runs in (SECURITY.md 14.F): the permission matrix's world
(tests/security/world.py) built through the real services, plus what the fuzzer needs so that every
operation is reached with identifiers that exist, for every role:

- department B's staff (`other`) holds a live grant of each mode (query, compare, statistics, pull)
  on A's conditional entry; the public user has an API key and an approved application for A's
  依申请开放 dataset;
- every operation that changes state acts on an object of its own (a grant to revoke, a dataset to
  withdraw, an application to approve and another to refuse...), so that one operation's cases
  never consume the object another operation's cases need;
- `targets(op)` names, per role, the path parameters of an operation (the role's own notification,
  the grant of the operation's mode...); `examples()` are the requests each role makes with valid
  data, so that what a role may do is reached with a 2xx (re-publishing an open dataset, grant use
  in each mode), and what it may not is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from tests.security.world import World

ROLES = ("anon", "public", "own", "other", "officer", "reviewer", "admin", "auditor")
MODES = ("query", "compare", "statistics", "pull")
CALENDAR_DAY = "2026-10-01"  # a holiday the seeded calendar holds (GET)
CALENDAR_DAY_SET = "2026-11-14"  # a Saturday the bureau admin makes a working day (PUT), then removes (DELETE)
CALENDAR_DAY_REMOVED = "2026-10-08"  # a holiday of the seeded calendar the bureau admin removes (DELETE)
CALENDAR_DAY_CHAINED = "2026-12-16"  # a Wednesday the bureau admin makes a holiday, removes, looks for


@dataclass
class Example:
    """One request with valid data: `roles` send it, each expecting a status of `expect` (a set of
    codes or "2xx"); `path` / `query` / `body` as the operation takes them."""

    op: str
    roles: tuple[str, ...]
    expect: str | frozenset[int]
    path: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: object = None
    media_type: str | None = None

    def data(self):
        """The body; a callable is called when the request is sent (a TOTP code of that moment)."""
        return self.body() if callable(self.body) else self.body

    def accepts(self, status: int) -> bool:
        return 200 <= status < 300 if self.expect == "2xx" else status in self.expect


class FuzzWorld(World):
    # --- sharing: B holds one grant per mode on A's entry --------------------------------------
    def _grant(self, mode, name, holder=None):
        from sharing.services import applications

        application = self._apply(holder or self.users["other"], self._share_entry(name), mode=mode)
        return applications.application_approve(actor=self.officer, application=application)

    @cached_property
    def grants(self) -> dict:
        """B's live grants, one per mode, each on an entry of its own (the rows of tests/sharing/factories)."""
        return {mode: self._grant(mode, f"甲部门授权-{mode}") for mode in MODES}

    @cached_property
    def grant_to_revoke(self):
        return self._grant("query", "甲部门待撤销授权")

    @cached_property
    def people(self) -> list[dict]:
        from tests.sharing.factories import people_rows

        return people_rows()

    def _pending(self, name):
        return self._apply(self.users["other"], self._share_entry(name))

    @cached_property
    def application_to_approve(self):
        return self._pending("甲部门待批准")

    @cached_property
    def application_to_refuse(self):
        return self._pending("甲部门待拒绝")

    @cached_property
    def application_to_cancel(self):
        return self._pending("甲部门待撤回")

    @cached_property
    def objection_to_answer(self):
        from sharing.services import objections

        return objections.objection_raise(
            actor=self.users["other"], grant=self.grants["pull"], rows="第3行", items=["district"], reason="区县有误"
        )

    def _coordination(self, name):
        from sharing.services import coordination

        return coordination.coordination_open(
            actor=self.users["other"], entry=self._share_entry(name, share_type="not_shared"), need="履职需要"
        )

    @cached_property
    def coordination_to_answer(self):
        return self._coordination("甲部门待协商")

    @cached_property
    def coordination_to_escalate(self):
        """Declined by the provider: B may ask the bureau to coordinate."""
        from sharing.services import coordination

        declined = self._coordination("甲部门协商未果")
        return coordination.coordination_answer(
            actor=self.officer, coordination=declined, agreed=False, answer="不具备条件"
        )

    @cached_property
    def coordination_to_conclude(self):
        from sharing.services import coordination

        declined = self._coordination("甲部门待协调")
        declined = coordination.coordination_answer(
            actor=self.officer, coordination=declined, agreed=False, answer="不具备条件"
        )
        return coordination.coordination_escalate(actor=self.users["other"], coordination=declined)

    # --- open data -------------------------------------------------------------------------------
    @cached_property
    def _public_key(self):
        from openness.services import apikeys

        return apikeys.apikey_create(actor=self.public, name="模糊测试")

    @property
    def public_key(self) -> str:
        """The secret of the public user's API key (sent as X-API-Key by the `public` role)."""
        return self._public_key[1]

    @property
    def public_key_row(self):
        return self._public_key[0]

    @cached_property
    def catalog_import(self):
        """A finished import of A's catalog from the exported workbook (the import job of SECURITY.md 14.7)."""
        from tests.catalog.factories import catalog_import

        return catalog_import(self.officer, names=("甲部门导入资源",))

    @cached_property
    def key_to_revoke(self):
        from openness.services import apikeys

        return apikeys.apikey_create(actor=self.public, name="待撤销")[0]

    @cached_property
    def granted_dataset(self):
        """A 依申请开放 dataset the public user's application was approved for (its rows: with the key)."""
        from tests.openness.factories import approved_application

        dataset = self._on_application("甲部门已批准开放数据")
        approved_application(dataset, self.public, self.officer)
        return dataset

    @cached_property
    def dataset_to_apply(self):
        return self._on_application("甲部门可申请开放数据")

    @cached_property
    def dataset_to_withdraw(self):
        from tests.openness.factories import published_dataset

        return published_dataset(self.officer, self.reviewer, name="甲部门待撤销开放数据")[0]

    def _proposal(self, name):
        from tests.openness.factories import entry_with_rows, propose

        entry = entry_with_rows(self.officer, [self._company(60)], reviewer=self.reviewer, name=name)
        return propose(self.officer, entry)

    @staticmethod
    def _company(n):
        from tests.openness.factories import company

        return company(n)

    @cached_property
    def entry_to_open(self):
        """A published entry with rows and no dataset yet: the officer proposes to open it."""
        from tests.openness.factories import entry_with_rows

        return entry_with_rows(self.officer, [self._company(65)], reviewer=self.reviewer, name="甲部门待开放")

    @cached_property
    def version_to_approve(self):
        return self._proposal("甲部门待批准开放")

    @cached_property
    def version_to_return(self):
        return self._proposal("甲部门待退回开放")

    # --- catalog ---------------------------------------------------------------------------------
    def _draft(self, name):
        from tests.catalog.factories import draft

        return draft(self.officer, name=name)

    @cached_property
    def draft_to_submit(self):
        return self._draft("甲部门待提交")

    def _submitted(self, name):
        from catalog.services import entries

        entry = self._draft(name)
        entries.entry_submit(actor=self.officer, entry=entry)
        return entry

    @cached_property
    def entry_to_approve(self):
        return self._submitted("甲部门待审核通过")

    @cached_property
    def entry_to_return(self):
        return self._submitted("甲部门待退回")

    def _published(self, name):
        from tests.catalog.factories import published

        return published(self.officer, self.reviewer, name=name)

    @cached_property
    def entry_to_revise(self):
        return self._published("甲部门待修订")

    @cached_property
    def entry_to_withdraw(self):
        return self._published("甲部门待撤销资源")

    @cached_property
    def entry_to_load(self):
        return self._published("甲部门待归集")

    @cached_property
    def load_to_remove(self):
        """An older data version of an entry of its own (the bureau admin removes it)."""
        from catalog.models import DataLoad
        from catalog.services import loads
        from tests.openness.factories import company, csv_upload, entry_with_rows

        entry = entry_with_rows(self.officer, [company(70)], reviewer=self.reviewer, name="甲部门旧数据版本")
        older = DataLoad.objects.filter(entry=entry, status=DataLoad.Status.SUCCEEDED).latest("id")
        loads.load_start(actor=self.officer, entry=entry, upload=csv_upload([company(71)]))
        return older

    # --- portal ----------------------------------------------------------------------------------
    @cached_property
    def devices(self) -> dict:
        """The TOTP devices of the roles that must use the second factor (SECURITY.md 14.15)."""
        from tests.otp import device_for

        return {role: device_for(self.users[role]) for role in ("reviewer", "admin", "auditor")}

    def sign_in(self, role) -> dict:
        """POST /api/auth/token/'s body for a role's account: the password, and the current code."""
        from tests.factories import PASSWORD
        from tests.otp import code_for

        body = {"username": self.users[role].username, "password": PASSWORD}
        if role in self.devices:
            body["otp_token"] = code_for(self.devices[role])
        return body

    @cached_property
    def notifications(self) -> dict:
        """One notification of each signed-in role's own."""
        from portal.models import Notification
        from portal.services.notifications import notify

        mine = {}
        for column, user in self.users.items():
            notify(users=[user], kind="catalog.duty", key=f"fuzz:{column}", title="模糊测试通知", body="")
            mine[column] = Notification.objects.get(key=f"fuzz:{column}", user=user)
        return mine

    def build(self):
        super().build()
        for name in (
            "grants",
            "grant_to_revoke",
            "application_to_approve",
            "application_to_refuse",
            "application_to_cancel",
            "objection_to_answer",
            "coordination_to_answer",
            "coordination_to_escalate",
            "coordination_to_conclude",
            "_public_key",
            "key_to_revoke",
            "catalog_import",
            "granted_dataset",
            "dataset_to_apply",
            "dataset_to_withdraw",
            "entry_to_open",
            "version_to_approve",
            "version_to_return",
            "draft_to_submit",
            "entry_to_approve",
            "entry_to_return",
            "entry_to_revise",
            "entry_to_withdraw",
            "entry_to_load",
            "load_to_remove",
            "notifications",
            "devices",
        ):
            getattr(self, name)
        from portal.models import CalendarDay

        CalendarDay.objects.get_or_create(
            date=dt.date.fromisoformat(CALENDAR_DAY_REMOVED),
            defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"},
        )
        return self

    # --- where each operation acts ---------------------------------------------------------------
    def targets(self, op: str) -> dict[str, dict]:
        """{role: path parameters} of an operation: an object that exists, the one the role would use."""
        method, path = op.split(" ", 1)
        pick = TARGETS.get(op) or TARGETS.get(path)
        if pick is None:
            return {}
        value = pick(self)
        if set(value) <= {*ROLES, "*"}:  # per role ("*": the others)
            return {role: value.get(role, value.get("*")) for role in ROLES}
        return dict.fromkeys(ROLES, value)


def _id(obj):
    return {"id": obj.pk}


TARGETS = {
    # catalog
    "/api/catalog/entries/{id}/": lambda w: _id(w.published),
    "PATCH /api/catalog/entries/{id}/": lambda w: _id(w.draft),
    "/api/catalog/entries/{id}/approve/": lambda w: _id(w.entry_to_approve),
    "/api/catalog/entries/{id}/return/": lambda w: _id(w.entry_to_return),
    "/api/catalog/entries/{id}/submit/": lambda w: _id(w.draft_to_submit),
    "/api/catalog/entries/{id}/revise/": lambda w: _id(w.entry_to_revise),
    "/api/catalog/entries/{id}/withdraw/": lambda w: _id(w.entry_to_withdraw),
    "/api/catalog/entries/{id}/loads/": lambda w: _id(w.entry_to_load),
    "/api/catalog/entries/{id}/rows/": lambda w: _id(w.published),
    "/api/catalog/entries/{id}/versions/": lambda w: _id(w.published),
    "/api/catalog/loads/{id}/": lambda w: _id(w.load),
    "/api/catalog/loads/{id}/remove/": lambda w: _id(w.load_to_remove),
    "/api/catalog/duties/{id}/confirm/": lambda w: _id(w.duty),
    "/api/catalog/imports/{id}/": lambda w: _id(w.catalog_import),
    # sharing
    "/api/sharing/applications/{id}/": lambda w: _id(w.share_application),
    "/api/sharing/applications/{id}/approve/": lambda w: _id(w.application_to_approve),
    "/api/sharing/applications/{id}/refuse/": lambda w: _id(w.application_to_refuse),
    "/api/sharing/applications/{id}/cancel/": lambda w: _id(w.application_to_cancel),
    "/api/sharing/grants/{id}/": lambda w: _id(w.grants["query"]),
    "/api/sharing/grants/{id}/query/": lambda w: _id(w.grants["query"]),
    "/api/sharing/grants/{id}/compare/": lambda w: _id(w.grants["compare"]),
    "/api/sharing/grants/{id}/statistics/": lambda w: _id(w.grants["statistics"]),
    "/api/sharing/grants/{id}/pull/": lambda w: _id(w.grants["pull"]),
    "/api/sharing/grants/{id}/revoke/": lambda w: _id(w.grant_to_revoke),
    "/api/sharing/objections/{id}/": lambda w: _id(w.objection),
    "/api/sharing/objections/{id}/answer/": lambda w: _id(w.objection_to_answer),
    "/api/sharing/coordinations/{id}/": lambda w: _id(w.coordination),
    "/api/sharing/coordinations/{id}/answer/": lambda w: _id(w.coordination_to_answer),
    "/api/sharing/coordinations/{id}/escalate/": lambda w: _id(w.coordination_to_escalate),
    "/api/sharing/coordinations/{id}/conclude/": lambda w: _id(w.coordination_to_conclude),
    "/api/sharing/scenarios/{id}/": lambda w: _id(w.scenario),
    # open data
    "/api/open/datasets/{id}/": lambda w: _id(w.dataset),
    "/api/open/datasets/{id}/rows/": lambda w: {"*": _id(w.dataset), "public": _id(w.granted_dataset)},
    "/api/open/datasets/{id}/withdraw/": lambda w: _id(w.dataset_to_withdraw),
    "/api/open/keys/{id}/revoke/": lambda w: _id(w.key_to_revoke),
    "/api/open/keys/{id}/renew/": lambda w: _id(w.public_key_row),
    "/api/open/applications/{id}/answer/": lambda w: _id(w.open_application),
    "/api/open/applications/{id}/rereview/": lambda w: _id(w.refused_application),
    "/api/open/applications/{id}/rereview/decide/": lambda w: _id(w.rereview_application),
    "/api/open/versions/{id}/approve/": lambda w: _id(w.version_to_approve),
    "/api/open/versions/{id}/return/": lambda w: _id(w.version_to_return),
    # portal and audit
    "/api/departments/{id}/": lambda w: {"*": _id(w.dept_a), "other": _id(w.dept_b)},
    "GET /api/calendar/days/{date}/": lambda w: {"date": CALENDAR_DAY},
    "PUT /api/calendar/days/{date}/": lambda w: {"date": CALENDAR_DAY_SET},
    "DELETE /api/calendar/days/{date}/": lambda w: {"date": CALENDAR_DAY_REMOVED},
    "/api/notifications/{id}/read/": lambda w: (
        {role: _id(n) for role, n in w.notifications.items()} | {"anon": _id(w.notifications["own"])}
    ),
    "/api/audit/entries/{id}/": lambda w: _id(w.audit_entry),
}


def _csv(rows, header=None) -> bytes:
    from tests.openness.factories import HEADER, csv_upload

    return csv_upload(rows, header=header or HEADER).read()


def _uscc(n) -> str:
    from tests.openness.factories import make_uscc

    return make_uscc(n)


def _workbook() -> bytes:
    from tests.catalog.factories import import_workbook

    return import_workbook(("模糊测试导入资源",))


def _safe_rules():
    from tests.openness.factories import SAFE_RULES

    return [dict(rule) for rule in SAFE_RULES]


def _entry_content(**overrides):
    from tests.catalog.factories import content, items

    return {**content(name="模糊测试资源", share_type="unconditional", **overrides), "items": items()}


def chains(w: FuzzWorld) -> list[list[Example]]:
    """Scenarios: each step is sent after the one before it, as one role, into one recorder, so that
    schemathesis' stateful checks judge the later steps (use_after_free: a day the bureau admin set and
    then removed is not found again)."""
    day = {"date": CALENDAR_DAY_CHAINED}
    return [
        [
            Example("PUT /api/calendar/days/{date}/", ("admin",), "2xx", day, body={"kind": "holiday", "name": "测试"}),
            Example("DELETE /api/calendar/days/{date}/", ("admin",), "2xx", day),
            Example("GET /api/calendar/days/{date}/", ("admin",), frozenset({404}), day),
        ]
    ]


def examples(w: FuzzWorld) -> list[Example]:
    """Requests with valid data, in the order they are sent (an action before the reads that follow it)."""
    everyone = ROLES
    signed_in = ROLES[1:]
    person = w.people[0]
    today = timezone.localdate()
    end = str(today + dt.timedelta(days=60))
    ok, refused = "2xx", frozenset({401, 403, 404})
    others = lambda *allowed: tuple(r for r in everyone if r not in allowed)  # noqa: E731
    grants = w.grants
    return [
        # --- grant use, each mode, by its holder; refused to everyone else ---------------------
        Example(
            "GET /api/sharing/grants/{id}/query/",
            ("other",),
            ok,
            _id(grants["query"]),
            {"items": "district,amount", "page": 1, "page_size": 10},
        ),
        Example(
            "GET /api/sharing/grants/{id}/query/",
            ("other",),
            ok,
            _id(grants["query"]),
            {"district": "东城区", "order_by": "-amount"},
        ),
        Example("GET /api/sharing/grants/{id}/query/", others("other"), refused, _id(grants["query"])),
        Example(
            "POST /api/sharing/grants/{id}/compare/",
            ("other",),
            ok,
            _id(grants["compare"]),
            body={
                "key": "id_number",
                "key_value": person["id_number"],
                "values": {"district": person["district"], "amount": person["amount"]},
            },
        ),
        Example(
            "POST /api/sharing/grants/{id}/compare/",
            others("other"),
            refused,
            _id(grants["compare"]),
            body={"key": "id_number", "key_value": person["id_number"], "values": {"district": "东城区"}},
        ),
        Example(
            "GET /api/sharing/grants/{id}/statistics/",
            ("other",),
            ok,
            _id(grants["statistics"]),
            {"group_by": "district", "measures": "sum:amount,avg:amount"},
        ),
        Example(
            "GET /api/sharing/grants/{id}/statistics/",
            others("other"),
            refused,
            _id(grants["statistics"]),
            {"group_by": "district"},
        ),
        Example("GET /api/sharing/grants/{id}/pull/", ("other",), ok, _id(grants["pull"]), {"output": "csv"}),
        Example(
            "GET /api/sharing/grants/{id}/pull/",
            ("other",),
            ok,
            _id(grants["pull"]),
            {"output": "json", "items": "district,amount"},
        ),
        Example("GET /api/sharing/grants/{id}/pull/", others("other"), refused, _id(grants["pull"])),
        # the same in a POST body (SECURITY.md 14.14: filter values on masked items never in the URL)
        Example(
            "POST /api/sharing/grants/{id}/query/",
            ("other",),
            ok,
            _id(grants["query"]),
            body={"items": ["district", "amount"], "filters": {"district": "东城区"}, "page_size": 5},
        ),
        Example("POST /api/sharing/grants/{id}/query/", others("other"), refused, _id(grants["query"]), body={}),
        Example(
            "POST /api/sharing/grants/{id}/statistics/",
            ("other",),
            ok,
            _id(grants["statistics"]),
            body={"group_by": ["district"], "measures": ["sum:amount"]},
        ),
        Example(
            "POST /api/sharing/grants/{id}/statistics/",
            others("other"),
            refused,
            _id(grants["statistics"]),
            body={"group_by": ["district"]},
        ),
        Example(
            "POST /api/sharing/grants/{id}/pull/",
            ("other",),
            ok,
            _id(grants["pull"]),
            body={"output": "json", "items": ["district"], "filters": {"district": "西山县"}},
        ),
        Example("POST /api/sharing/grants/{id}/pull/", others("other"), refused, _id(grants["pull"]), body={}),
        # a grant is used only in its own mode
        Example("GET /api/sharing/grants/{id}/query/", ("other",), frozenset({400, 403}), _id(grants["pull"])),
        # --- re-publishing an open dataset (docs/features.md O2) and publishing a new one --------------------
        Example(
            "POST /api/open/versions/",
            ("officer",),
            ok,
            body={"dataset": w.dataset.pk, "items": _safe_rules(), "change_note": "模糊测试更新"},
        ),
        Example(
            "POST /api/open/versions/",
            others("officer"),
            frozenset({400, 401, 403}),
            body={"dataset": w.dataset.pk, "items": _safe_rules()},
        ),
        Example(
            "POST /api/open/versions/",
            ("officer",),
            ok,
            body={"entry": w.entry_to_open.pk, "items": [{"key": "uscc"}, {"key": "company_name"}]},
        ),
        # --- sharing: applying, deciding, objections, coordination ------------------------------
        Example(
            "POST /api/sharing/applications/",
            ("other",),
            ok,
            body={
                "entry": grants["query"].entry_id,
                "purpose": "核定",
                "scenario_text": "审核",
                "items": ["district"],
                "mode": "statistics",
                "end_date": end,
            },
        ),
        Example(
            "POST /api/sharing/applications/{id}/approve/",
            ("officer",),
            ok,
            _id(w.application_to_approve),
            body={"note": "同意"},
        ),
        Example(
            "POST /api/sharing/applications/{id}/refuse/",
            ("officer",),
            ok,
            _id(w.application_to_refuse),
            body={"reason": "不符合条件"},
        ),
        Example("POST /api/sharing/applications/{id}/cancel/", ("other",), ok, _id(w.application_to_cancel)),
        Example(
            "POST /api/sharing/grants/{id}/revoke/",
            ("officer",),
            ok,
            _id(w.grant_to_revoke),
            body={"reason": "停止使用"},
        ),
        Example(
            "POST /api/sharing/objections/",
            ("other",),
            ok,
            body={"grant": grants["query"].pk, "rows": "第2行", "items": ["district"], "reason": "有误"},
        ),
        Example(
            "POST /api/sharing/objections/{id}/answer/",
            ("officer",),
            ok,
            _id(w.objection_to_answer),
            body={"outcome": "confirm", "answer": "经核实无误"},
        ),
        Example(
            "POST /api/sharing/coordinations/",
            ("own",),
            frozenset({400}),  # A's own entry
            body={"entry": w.not_shared_entry.pk, "need": "履职需要"},
        ),
        Example(
            "POST /api/sharing/coordinations/{id}/answer/",
            ("officer",),
            ok,
            _id(w.coordination_to_answer),
            body={"outcome": "agree", "answer": "同意提供"},
        ),
        Example("POST /api/sharing/coordinations/{id}/escalate/", ("other",), ok, _id(w.coordination_to_escalate)),
        Example(
            "POST /api/sharing/coordinations/{id}/conclude/",
            ("reviewer",),
            ok,
            _id(w.coordination_to_conclude),
            body={"conclusion": "协调完成"},
        ),
        Example(
            "PUT /api/sharing/scenarios/{id}/",
            ("admin",),
            ok,
            _id(w.scenario),
            body={
                "name": "低保核定（修订）",
                "entry": w.scenario.entry_id,
                "items": ["id_number"],
                "modes": ["query"],
                "max_days": 180,
            },
        ),
        Example(
            "POST /api/sharing/scenarios/",
            ("admin",),
            ok,
            body={
                "name": "模糊测试场景",
                "entry": w.scenario.entry_id,
                "items": ["district"],
                "modes": ["statistics"],
                "max_days": 30,
            },
        ),
        Example("PUT /api/sharing/policy/", ("admin",), ok, body={"auto_grant_unconditional": False}),
        # --- open data: the public user's key, applications, the bureau's review ----------------
        Example(
            "GET /api/open/datasets/{id}/rows/", ("public",), ok, _id(w.granted_dataset), {"page": 1, "page_size": 10}
        ),
        Example("GET /api/open/datasets/{id}/rows/", everyone, ok, _id(w.dataset), {"page_size": 5}),
        Example("POST /api/open/keys/", ("public",), ok, body={"name": "新密钥"}),
        Example("POST /api/open/keys/{id}/revoke/", ("public",), ok, _id(w.key_to_revoke)),
        Example("POST /api/open/keys/{id}/renew/", ("public",), ok, _id(w.public_key_row)),
        Example(
            "POST /api/open/uploads/",
            ("officer",),
            ok,
            body=lambda: {"file": _csv([w._company(80)])},
            media_type="multipart/form-data",
        ),
        Example(
            "POST /api/open/applications/",
            ("public",),
            ok,
            body={"dataset": w.dataset_to_apply.pk, "purpose": "研究", "intended_use": "统计"},
        ),
        Example(
            "POST /api/open/applications/{id}/answer/",
            ("officer",),
            ok,
            _id(w.open_application),
            body={"approve": True, "answer": "同意"},
        ),
        Example(
            "POST /api/open/applications/{id}/rereview/",
            ("public",),
            ok,
            _id(w.refused_application),
            body={"reason": "理由充分"},
        ),
        Example(
            "POST /api/open/applications/{id}/rereview/decide/",
            ("reviewer",),
            ok,
            _id(w.rereview_application),
            body={"approve": False, "answer": "维持原答复"},
        ),
        Example(
            "POST /api/open/versions/{id}/approve/",
            ("reviewer",),
            ok,
            _id(w.version_to_approve),
            body={"comment": "同意"},
        ),
        Example(
            "POST /api/open/versions/{id}/return/",
            ("reviewer",),
            ok,
            _id(w.version_to_return),
            body={"reason": "请补充"},
        ),
        Example(
            "POST /api/open/datasets/{id}/withdraw/",
            ("officer",),
            ok,
            _id(w.dataset_to_withdraw),
            body={"reason": "停止更新"},
        ),
        # --- catalog --------------------------------------------------------------------------------
        Example("POST /api/catalog/entries/", ("officer",), ok, body=_entry_content()),
        Example("PATCH /api/catalog/entries/{id}/", ("officer",), ok, _id(w.draft), body={"summary": "修订摘要"}),
        Example("POST /api/catalog/entries/{id}/submit/", ("officer",), ok, _id(w.draft_to_submit)),
        Example(
            "POST /api/catalog/entries/{id}/approve/",
            ("reviewer",),
            ok,
            _id(w.entry_to_approve),
            body={"comment": "同意"},
        ),
        Example(
            "POST /api/catalog/entries/{id}/return/",
            ("reviewer",),
            ok,
            _id(w.entry_to_return),
            body={"reason": "请补充"},
        ),
        Example(
            "POST /api/catalog/entries/{id}/revise/",
            ("officer",),
            ok,
            _id(w.entry_to_revise),
            body={"change_note": "职责调整"},
        ),
        Example(
            "POST /api/catalog/entries/{id}/withdraw/",
            ("officer",),
            ok,
            _id(w.entry_to_withdraw),
            body={"reason": "职责划转"},
        ),
        Example(
            "GET /api/catalog/entries/{id}/rows/",
            ("own", "officer", "reviewer", "admin"),
            ok,
            _id(w.published),
            {"page_size": 5},
        ),
        Example(
            "POST /api/catalog/entries/{id}/loads/",
            ("officer",),
            ok,
            _id(w.entry_to_load),
            body=lambda: {
                "file": _csv(
                    [[_uscc(90), "示范市新归集企业", "2021-03-04"]], header=["统一社会信用代码", "企业名称", "成立日期"]
                )
            },
            media_type="multipart/form-data",
        ),
        Example("GET /api/catalog/imports/{id}/", ("officer",), ok, _id(w.catalog_import)),
        Example(
            "POST /api/catalog/imports/",
            ("officer",),
            ok,
            body=lambda: {"file": _workbook()},
            media_type="multipart/form-data",
        ),
        Example("POST /api/catalog/loads/{id}/remove/", ("admin",), ok, _id(w.load_to_remove)),
        Example("POST /api/catalog/duties/{id}/confirm/", ("officer",), ok, _id(w.duty), body={"note": "无需调整"}),
        Example(
            "POST /api/catalog/duty-changes/",
            ("reviewer",),
            ok,
            body={"department": w.dept_b.pk, "kind": "law", "description": "法规修订", "effective_date": str(today)},
        ),
        # --- portal ---------------------------------------------------------------------------------
        *[Example("POST /api/auth/token/", (role,), ok, body=lambda role=role: w.sign_in(role)) for role in signed_in],
        Example("GET /api/calendar/deadline/", signed_in, ok, query={"start": str(today), "days": 5}),
        Example(
            "PUT /api/calendar/days/{date}/",
            ("admin",),
            ok,
            {"date": CALENDAR_DAY_SET},
            body={"kind": "workday", "name": "调休上班"},
        ),
        Example("DELETE /api/calendar/days/{date}/", ("admin",), ok, {"date": CALENDAR_DAY_REMOVED}),
        Example(
            "GET /api/evaluation/",
            ("own", "officer", "reviewer", "admin"),
            ok,
            query={"year": today.year, "month": today.month},
        ),
        *[Example("POST /api/notifications/{id}/read/", (role,), ok, _id(n)) for role, n in w.notifications.items()],
        # --- audit ----------------------------------------------------------------------------------
        Example("GET /api/audit/entries/", ("auditor",), ok, query={"action": "sharing."}),
        Example("GET /api/audit/entries/{id}/", ("auditor",), ok, _id(w.audit_entry)),
        Example("GET /api/audit/entries/export/", ("auditor",), ok, query={"fmt": "csv"}),
        Example("GET /api/audit/usage/", ("officer",), ok, query={"role": "provider"}),
    ]
