"""P2: notifications once per event, e-mail by a Celery task, opting out stops e-mail but not the notice."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.services import entries
from portal.models import Notification
from portal.services.notifications import notify
from portal.services.workplace import preferences_set
from portal.tasks import send_notification_emails
from tests.catalog.factories import draft

pytestmark = pytest.mark.django_db


def _run_email_task():
    """What the task queued on commit does: the real task code, on the notifications not yet e-mailed."""
    return send_notification_emails(
        list(Notification.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True))
    )


def test_a_notification_is_created_once_per_key_and_emailed_once(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[officer], kind="catalog.returned", key="k:1", title="标题", body="内容", url="/catalog/")
        notify(users=[officer], kind="catalog.returned", key="k:1", title="标题", body="内容", url="/catalog/")
    assert Notification.objects.filter(user=officer, key="k:1").count() == 1
    assert len(callbacks) == 1  # the second call found it already sent
    assert _run_email_task() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "标题"
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_notification_emails(ids) == 0  # a re-delivered task sends nothing more
    assert len(mail.outbox) == 1


def test_opting_out_stops_the_email_but_not_the_notice(officer, reviewer, django_capture_on_commit_callbacks):
    preferences_set(actor=officer, email_kinds=set())
    entry = draft(officer)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_return(actor=reviewer, entry=entry, reasons="请补充")
    _run_email_task()
    assert Notification.objects.filter(user=officer, kind="catalog.returned").count() == 1
    assert not [m for m in mail.outbox if officer.email in m.to]
    assert [m for m in mail.outbox if reviewer.email in m.to]  # the reviewer did not opt out


def test_bell_list_and_mark_read(officer, client):
    notify(users=[officer], kind="catalog.duty", key="a", title="第一条", url="/catalog/")
    notify(users=[officer], kind="catalog.duty", key="b", title="第二条")
    client.force_login(officer)
    assert 'data-testid="unread-count">2<' in client.get(reverse("home")).content.decode()
    first = Notification.objects.get(key="a")
    response = client.post(reverse("notification_read", args=[first.pk]))
    assert response["Location"] == "/catalog/"
    assert 'data-testid="unread-count">1<' in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notification_read_all"))
    assert "unread-count" not in client.get(reverse("home")).content.decode()


def test_notifications_api_is_per_user(officer, staff):
    notify(users=[officer], kind="catalog.duty", key="x", title="仅给数据管理员")
    api = APIClient()
    api.force_authenticate(staff)
    assert api.get("/api/notifications/").json()["count"] == 0
    pk = Notification.objects.get().pk
    assert api.post(f"/api/notifications/{pk}/read/").status_code == 404
    api.force_authenticate(officer)
    assert api.post(f"/api/notifications/{pk}/read/").json()["read_at"] is not None


def test_preferences_page(officer, client):
    client.force_login(officer)
    client.post(reverse("notification_settings"), {"email": ["catalog.duty"]})
    page = client.get(reverse("notification_settings")).content.decode()
    assert 'value="catalog.duty" id="k-' in page
    from portal.services.workplace import email_enabled_kinds

    assert email_enabled_kinds(officer) == {"catalog.duty"}


def test_marking_someone_elses_notification_read_is_not_found_and_changes_nothing(officer, staff, client):
    notify(users=[officer], kind="catalog.duty", key="mine", title="他人的通知")
    theirs = Notification.objects.get(key="mine", user=officer)
    client.force_login(staff)
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notification_read", args=[987654321])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_every_kind_can_be_switched_off_on_the_preferences_page(officer, client):
    """The test settings make notify() refuse a kind the preferences page does not list, so every test
    that sends a notice checks its kind is registered; here the open-data kinds, registered by their app."""
    from portal.notification_kinds import KINDS

    with pytest.raises(ValueError, match="not registered"):
        notify(users=[officer], kind="made.up_kind", key="k:2", title="标题")
    assert not Notification.objects.filter(key="k:2").exists()
    client.force_login(officer)
    page = client.get(reverse("notification_settings")).content.decode()
    for kind in ("openness.application.approved", "openness.published", "sharing.deadline_overdue", "audit.alert"):
        assert kind in KINDS and f'value="{kind}"' in page
    assert "依申请开放：申请已同意" in page
