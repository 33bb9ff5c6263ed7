"""The one transition-table helper (portal.transitions): illegal moves are a 400 with the table's
message, and a move written after someone else's is a 409 that writes nothing."""

import pytest
from django.db.models.signals import post_save

from catalog import transitions as catalog_transitions
from catalog.models import EntryVersion
from portal.errors import ConflictError, InvalidTransitionError
from portal.roles import Role
from sharing import transitions as sharing_transitions
from sharing.models import Application
from tests.catalog import factories as catalog_factories
from tests.factories import user_with_role
from tests.sharing import factories as sharing_factories

pytestmark = pytest.mark.django_db


def _draft_version():
    entry = catalog_factories.draft(user_with_role(Role.DATA_OFFICER))
    return EntryVersion.objects.get(pk=entry.working_version_id)


def test_an_illegal_move_is_a_400_with_the_tables_message():
    version = _draft_version()
    with pytest.raises(InvalidTransitionError) as raised:
        catalog_transitions.move(version, "approve")
    assert raised.value.status_code == 400 and raised.value.code == "invalid_transition"
    assert "版本当前状态为「草稿」" in str(raised.value.message)
    assert version.status == EntryVersion.Status.DRAFT


def test_a_move_whose_row_changed_since_it_was_read_is_a_409_and_writes_nothing():
    version = _draft_version()
    catalog_transitions.move(version, "submit")
    version.review_comment = "不应写入"
    # another request returned the version to draft and back in the meantime: the row is not the one we read
    EntryVersion.objects.filter(pk=version.pk).update(status=EntryVersion.Status.RETURNED)
    with pytest.raises(ConflictError) as raised:
        catalog_transitions.save(version, ["review_comment"])
    assert raised.value.status_code == 409 and raised.value.code == "conflict"
    row = EntryVersion.objects.get(pk=version.pk)
    assert row.status == EntryVersion.Status.RETURNED and row.review_comment == ""


def test_the_second_of_two_decisions_read_at_once_is_told_it_was_already_decided():
    w = sharing_factories.world(rows=False)
    application = sharing_factories.apply(w)
    first, second = Application.objects.get(pk=application.pk), Application.objects.get(pk=application.pk)
    sharing_transitions.move(first, "approve")
    sharing_transitions.save(first)
    sharing_transitions.move(second, "refuse")  # its copy still says submitted
    second.decision_note = "晚到的决定"
    with pytest.raises(ConflictError) as raised:
        sharing_transitions.save(second, ["decision_note"])
    assert raised.value.code == "already_decided" and "已经办理" in str(raised.value.message)
    assert second.status == Application.Status.APPROVED  # the caller sees what the row says now
    row = Application.objects.get(pk=application.pk)
    assert row.status == Application.Status.APPROVED and row.decision_note == ""


def test_a_written_move_stamps_auto_now_fields_and_tells_post_save_listeners():
    version = _draft_version()
    before = version.updated_at
    heard = []

    def listener(sender, instance, update_fields, **kwargs):
        heard.append((instance.pk, set(update_fields)))

    post_save.connect(listener, sender=EntryVersion, dispatch_uid="test-transitions-listener")
    try:
        catalog_transitions.move(version, "submit")
        catalog_transitions.save(version, ["updated_at"])
    finally:
        post_save.disconnect(dispatch_uid="test-transitions-listener", sender=EntryVersion)
    row = EntryVersion.objects.get(pk=version.pk)
    assert row.status == EntryVersion.Status.SUBMITTED and row.updated_at > before
    assert heard == [(version.pk, {"status", "updated_at"})]
