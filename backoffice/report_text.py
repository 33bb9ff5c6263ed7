"""The words and tables of the yearly evaluation report, shared by the Word and the PDF file so that
both say the same (Lhasa art. 44 and 50, Sixian art. 41: the yearly evaluation of each department's
cataloguing, sharing and opening, made known with its findings)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.dashboard import display, overview


def build(year: int, *, department_ids=None) -> dict:
    return overview.build(year, department_ids=department_ids)


def sections(city: bool) -> list[tuple[str, str]]:
    """(key, heading) in the order of the report."""
    parts = [
        ("summary", _("一、总体情况")),
        ("areas", _("二、分领域考核情况")),
        ("ranking", _("三、部门排名") if city else _("三、综合得分")),
        ("below", _("四、未达标部门及指标") if city else _("四、未达标指标")),
        ("months", _("五、逐月情况")),
    ]
    return parts


def summary(data: dict, name: str) -> list[str]:
    ranked = [r for r in data["ranking"] if r["score"] is not None]
    below = data["below_target"]
    lines = [
        _(
            "本报告依据政务数据共享开放考核指标，统计%(n)s %(y)d 年度资源目录、数据共享、数据开放和安全管理"
            "四个方面的情况，并与上一年度比较。"
        )
        % {"n": name, "y": data["year"]},
        _("参加排名的部门 %(k)d 个，综合得分 %(s)s 分（各项比率指标的平均值，没有数据的指标不计入）。")
        % {"k": len(ranked), "s": data["city_score_text"]},
    ]
    if ranked and len(ranked) > 1:
        lines.append(
            _("排名第一的是%(first)s（%(a)s 分），排名最后的是%(last)s（%(b)s 分）。")
            % {
                "first": ranked[0]["department"].name,
                "a": ranked[0]["score_text"],
                "last": ranked[-1]["department"].name,
                "b": ranked[-1]["score_text"],
            }
        )
    lines.append(
        _("有 %(k)d 个部门存在未达到目标的指标，见第四部分。") % {"k": len(below)}
        if below
        else _("各部门的指标均已达到目标。")
    )
    return lines


def finding(figure) -> str:
    """One sentence per figure: its value, the change against last year, the target if it has one."""
    if figure.value is None:
        return _("%(label)s：本年度无数据。") % {"label": figure.metric.label}
    if figure.direction is None:
        text = _("%(label)s为 %(value)s，上年无数据可比") % {"label": figure.metric.label, "value": figure.text}
    elif figure.direction == "same":
        text = _("%(label)s为 %(value)s，与上年持平") % {"label": figure.metric.label, "value": figure.text}
    else:
        text = (
            _("%(label)s为 %(value)s，较上年上升 %(n)s")
            if figure.direction == "up"
            else _("%(label)s为 %(value)s，较上年下降 %(n)s")
        ) % {
            "label": figure.metric.label,
            "value": figure.text,
            "n": display.delta(figure.metric, figure.change),
        }
    if figure.meets is False:
        text += _("，未达到目标（%(goal)s）") % {"goal": figure.goal_text}
    elif figure.meets:
        text += _("，达到目标")
    return text + _("。")


def figure_table(group: dict) -> list[list[str]]:
    rows = [[_("指标"), _("本年度"), _("上年度"), _("变化"), _("目标"), _("是否达标")]]
    for f in group["figures"]:
        meets = _("达标") if f.meets else _("未达标") if f.meets is False else "-"
        rows.append([str(f.metric.label), f.text, f.previous_text, f.trend_text, f.goal_text, meets])
    return rows


def ranking_table(data: dict) -> list[list[str]]:
    rates = [m for m in data["metrics"] if m.is_rate]
    rows = [[_("排名"), _("部门"), _("综合得分")] + [m.short_label for m in rates]]
    for r in data["ranking"]:
        cells = {c["label"]: c["text"] for c in r["cells"]}
        rows.append(
            [str(r.get("rank", "-")), r["department"].name, r["score_text"]] + [cells[str(m.label)] for m in rates]
        )
    return rows


def rate_legend(data: dict) -> str:
    rates = [m for m in data["metrics"] if m.is_rate]
    return _("表头简称：") + _("；").join(f"{m.short_label}＝{m.label}" for m in rates)


def below_lines(data: dict) -> list[str]:
    if not data["below_target"]:
        return [_("无。")]
    return [
        _("%(d)s：%(items)s。")
        % {
            "d": item["department"].name,
            "items": _("；").join(
                _("%(label)s %(value)s（目标 %(goal)s）")
                % {"label": f.metric.label, "value": f.text, "goal": f.goal_text}
                for f in item["misses"]
            ),
        }
        for item in data["below_target"]
    ]


def month_table(data: dict, group: dict) -> list[list[str]]:
    rows = [[_("指标")] + [_("%(m)d月") % {"m": m} for m in range(1, 13)]]
    rows.extend(
        [f.metric.short_label] + [display.figure(f.metric, v) for v in data["series"][f.metric.key]]
        for f in group["figures"]
    )
    return rows
