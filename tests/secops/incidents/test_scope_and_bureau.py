"""Lhasa art. 38: a report reaches the bureau's security staff at once; Tongren art. 36 and Sixian
art. 39: the handling completes who is affected (an incident the system opened names nobody), and
each read of evidence — which may hold the leaked records — is audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from portal.errors import PermissionDeniedError
from portal.models import Notification
from secops.incidents.services import evidence, notices, open_incident
from secops.incidents.services.scope import incident_scope
from tests.secops.incidents.factories import reported

pytestmark = pytest.mark.django_db


def test_the_bureau_is_told_of_a_new_report_with_the_response_deadline(officer, handler, reviewer):
    incident = reported(officer, level="major")
    told = Notification.objects.filter(kind="incidents.reported")
    assert set(told.values_list("user_id", flat=True)) == {handler.pk, reviewer.pk}
    assert "重大" in told.first().title and "前响应" in told.first().body
    assert f"/secops/incidents/{incident.pk}/" == told.first().url


def test_the_bureau_completes_the_scope_of_a_system_incident_then_notifies(officer, staff, handler):
    incident = open_incident(title="异常批量下载", kind="leak", level="larger", description="下载量异常。")
    incident_scope(
        actor=handler,
        incident=incident,
        departments=[officer.department],
        users=[staff],
        persons=["张** 1101**********1234"],
    )
    incident_scope(actor=handler, incident=incident, persons=["张** 1101**********1234"])  # not twice
    incident.refresh_from_db()
    assert incident.persons == ["张** 1101**********1234"]
    assert set(notices.recipients_of(incident)) == {officer, staff}
    assert AuditEntry.objects.filter(action="incidents.scope").count() == 2
    with pytest.raises(PermissionDeniedError):
        incident_scope(actor=officer, incident=incident, users=[officer])


def test_each_read_of_an_evidence_file_is_audited(officer, handler, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    incident = reported(officer)
    item = evidence.add_evidence(actor=handler, incident=incident, upload=SimpleUploadedFile("a.txt", b"rows"))
    assert evidence.evidence_content(actor=handler, evidence=item) == b"rows"
    read = AuditEntry.objects.get(action="incidents.evidence.read")
    assert read.actor_id == handler.pk and read.detail["evidence"] == item.pk
