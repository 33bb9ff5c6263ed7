"""Demo sharing for `manage.py seed_demo`: applications in every state (waiting, overdue and
escalated, approved as asked or narrowed, granted by a scenario, refused, withdrawn), grants that
are active, revoked, expired and up for renewal, uses and a refused use, objections and
coordination requests. Runs after the catalog's demo; safe to run again (it runs once)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from catalog import selectors as catalog_selectors
from catalog.models import ResourceEntry
from portal import workdays
from portal.errors import PermissionDeniedError
from sharing import conf
from sharing.models import Application, Deadline, Grant, Scenario
from sharing.services import applications, coordination, deadlines, grants, objections, scenarios, use

SCENARIO = "入学前预防接种查验"


def _entry(department_code: str, name: str) -> ResourceEntry:
    return catalog_selectors.published_entry(department_code=department_code, name=name)


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _backdate(subject, working_days_ago: int) -> None:
    """Make an open deadline (of an application or a coordination request) about as old as if it
    had been received `working_days_ago` working days ago."""
    received = timezone.now() - dt.timedelta(days=2 * working_days_ago)
    days = conf.review_working_days()
    field = "application" if isinstance(subject, Application) else "coordination"
    Deadline.objects.filter(**{field: subject}).update(
        received_at=received,
        remind_at=deadlines.remind_time(received, days),
        due_at=workdays.add_working_days(received, days),
    )
    if isinstance(subject, Application):
        Application.objects.filter(pk=subject.pk).update(submitted_at=received)
    else:
        type(subject).objects.filter(pk=subject.pk).update(opened_at=received)


def seed(*, users: dict, officers: dict) -> str:
    if Scenario.objects.filter(name=SCENARIO).exists():
        return "already seeded"
    reviewer, admin, staff = users["reviewer"], users["admin"], users["staff"]
    mzj, rsj, wjw, jyj, zrzyj, gaj = (officers[c] for c in ("mzj", "rsj", "wjw", "jyj", "zrzyj", "gaj"))
    licences = _entry("scjgj", "企业营业执照信息")
    people = _entry("gaj", "人口基础信息")

    # S1: unconditional data, granted by the bureau; used, including one refused attempt.
    licence_app = applications.application_submit(
        actor=staff,
        entry=licences,
        purpose="核查涉案企业登记信息",
        items=["uscc", "company_name", "status"],
        end_date=_days(180),
    )
    licence_grant = applications.application_approve(
        actor=reviewer, application=licence_app, note="无条件共享，同意开通查阅权限"
    )
    use.grant_query(actor=staff, grant=licence_grant, filters={"status": "存续"}, page_size=20)
    try:
        use.grant_query(actor=staff, grant=licence_grant, items=["legal_rep"])
    except PermissionDeniedError:
        pass  # recorded as denied: 法定代表人 was not asked for
    people_app = applications.application_submit(
        actor=mzj,
        entry=people,
        purpose="低保申请人身份核验",
        mode="compare",
        items=["id_number", "name", "address"],
        end_date=_days(365),
    )
    applications.application_approve(actor=reviewer, application=people_app)
    objections.objection_raise(
        actor=staff,
        grant=licence_grant,
        rows="统一社会信用代码为示例的第 3 条记录",
        items=["status"],
        reason="登记状态显示存续，但企业已于上月注销",
    )
    answered = objections.objection_raise(
        actor=staff, grant=licence_grant, rows="第 8 条记录", items=["company_name"], reason="企业名称与营业执照不一致"
    )
    objections.objection_answer(
        actor=officers["scjgj"],
        objection=answered,
        corrected=False,
        answer="经核查，企业已于登记机关办理名称变更，数据无误。",
    )

    # S1 waiting at the bureau: one on time, one overdue (the bureau's own deadline).
    applications.application_submit(
        actor=jyj, entry=_entry("mzj", "养老机构信息"), purpose="核实民办养老机构资质", end_date=_days(90)
    )
    late_bureau = applications.application_submit(
        actor=wjw, entry=_entry("zrzyj", "土地出让信息"), purpose="医疗设施规划用地核实", end_date=_days(90)
    )
    _backdate(late_bureau, 8)

    # S2: conditional data reviewed by the provider.
    insurance = _entry("rsj", "社会保险参保信息")
    applications.application_submit(
        actor=mzj,
        entry=insurance,
        purpose="低保待遇核定",
        scenario_text="核实申请人参保和就业情况",
        items=["id_number", "insurance", "status"],
        mode="query",
        end_date=_days(180),
    )
    overdue = applications.application_submit(
        actor=mzj,
        entry=_entry("gaj", "户籍迁移信息"),
        purpose="核实低保对象户籍迁移",
        scenario_text="低保动态管理",
        items=["id_number", "move_type", "move_date"],
        mode="query",
        end_date=_days(180),
    )
    _backdate(overdue, 9)
    refused = applications.application_submit(
        actor=rsj,
        entry=_entry("zrzyj", "不动产登记信息"),
        purpose="社保待遇资格审核",
        scenario_text="审核申请人名下房产",
        items=["cert_no", "owner", "owner_id", "location"],
        mode="query",
        end_date=_days(365),
    )
    applications.application_refuse(
        actor=zrzyj,
        application=refused,
        reason="依《不动产登记暂行条例》第二十七条，仅向税务、法院、公积金等部门提供。",
    )
    narrowed = applications.application_submit(
        actor=staff,
        entry=_entry("mzj", "婚姻登记信息"),
        purpose="办理户口登记需核实婚姻状况",
        scenario_text="户籍业务办理",
        items=["id_number", "reg_type", "reg_date"],
        mode="query",
        end_date=_days(365),
    )
    applications.application_approve(
        actor=mzj,
        application=narrowed,
        items=["id_number", "reg_type"],
        mode="compare",
        end_date=_days(180),
        note="按最小授权，只提供婚姻状况比对，不提供登记日期。",
    )
    applications.application_approve(
        actor=mzj,
        application=applications.application_submit(
            actor=rsj,
            entry=_entry("mzj", "最低生活保障对象信息"),
            purpose="社会救助政策效果评估",
            scenario_text="分区县统计",
            items=["area", "amount"],
            mode="statistics",
            end_date=_days(120),
        ),
    )
    cancelled = applications.application_submit(
        actor=mzj,
        entry=_entry("jyj", "学生学籍信息"),
        purpose="教育救助对象核实",
        scenario_text="助学金发放",
        items=["id_number", "school"],
        mode="compare",
        end_date=_days(90),
    )
    applications.application_cancel(actor=mzj, application=cancelled)
    revoked = applications.application_approve(
        actor=rsj,
        application=applications.application_submit(
            actor=wjw,
            entry=insurance,
            purpose="医保待遇核定",
            scenario_text="核实参保状态",
            items=["id_number", "status"],
            mode="compare",
            end_date=_days(200),
        ),
    )
    grants.grant_revoke(actor=rsj, grant=revoked, reason="申请部门已改由医保局直接对接，停止提供。")
    expired = applications.application_approve(
        actor=rsj,
        application=applications.application_submit(
            actor=mzj,
            entry=_entry("rsj", "就业登记信息"),
            purpose="低保对象就业状态核实",
            scenario_text="低保年审",
            items=["id_number", "employment"],
            mode="compare",
            end_date=_days(30),
        ),
    )
    Grant.objects.filter(pk=expired.pk).update(end_date=_days(-1), expires_at=workdays.end_of_day(_days(-1)))
    grants.sweep_expired_grants()
    applications.application_submit(
        actor=mzj,
        entry=_entry("rsj", "就业登记信息"),
        purpose="低保对象就业状态核实",
        scenario_text="低保年审",
        items=["id_number", "employment"],
        mode="compare",
        end_date=_days(365),
        renews=Grant.objects.get(pk=expired.pk),
    )

    # S6: a scenario, and an application it grants at once.
    vaccines = _entry("wjw", "预防接种记录")
    scenarios.scenario_save(
        actor=admin,
        name=SCENARIO,
        entry=vaccines,
        items=["id_number", "vaccine"],
        modes=["compare"],
        description="新生入学时查验预防接种情况（《疫苗管理法》第四十八条）",
        departments=[jyj.department],
        max_days=365,
    )
    applications.application_submit(
        actor=jyj,
        entry=vaccines,
        purpose="新生入学查验预防接种证",
        scenario_text=SCENARIO,
        items=["id_number", "vaccine"],
        mode="compare",
        end_date=_days(300),
    )

    # S3: not-shared data — one coordination declined and escalated, one unanswered and overdue.
    records = _entry("gaj", "违法犯罪记录信息")
    declined = coordination.coordination_open(
        actor=rsj, entry=records, need="事业单位招聘政审需核实应聘人员违法犯罪记录"
    )
    coordination.coordination_answer(
        actor=gaj,
        coordination=declined,
        agreed=False,
        answer="依《刑事诉讼法》相关规定不予共享，可由本人申请开具无犯罪记录证明。",
    )
    coordination.coordination_escalate(actor=rsj, coordination=declined)
    waiting = coordination.coordination_open(actor=mzj, entry=records, need="核实低保申请人是否在服刑")
    _backdate(waiting, 7)

    # The overdue ones are warned and escalated as the periodic job does it.
    deadlines.sweep_deadlines()
    return (
        f"{Application.objects.count()} applications, {Grant.objects.count()} grants, "
        f"{Deadline.objects.filter(overdue=True).count()} overdue"
    )
