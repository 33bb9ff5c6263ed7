"""Seed the working-day calendar from chinese-calendar for every year it knows."""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    from portal.workdays import holiday_names_zh

    CalendarDay = apps.get_model("portal", "CalendarDay")
    CalendarYear = apps.get_model("portal", "CalendarYear")
    names = holiday_names_zh()
    rows = [CalendarDay(date=d, kind="holiday", name=names.get(n, n)) for d, n in chinese_calendar.holidays.items()]
    rows += [CalendarDay(date=d, kind="workday", name=names.get(n, n)) for d, n in chinese_calendar.workdays.items()]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    years = sorted({d.year for d in chinese_calendar.holidays})
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="chinese-calendar") for y in years], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
