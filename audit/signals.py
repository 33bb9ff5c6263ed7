"""Sign-in events into the audit log: sign-in, sign-out, failed sign-in, lock-out; and every change
made in the admin site, also on models whose admin does not record it itself (django-celery-beat's
periodic tasks, axes' lock-outs)."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.models import Outcome
from audit.services import record, recorded_in_request

_ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def _user_named(username):
    if not username:
        return None
    return get_user_model().objects.select_related("department").filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    record("auth.login", actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    user = _user_named(username)
    # The actor is whoever typed the name, not the account: the account is the target.
    record(
        "auth.login_failed",
        actor=None,
        target=user,
        outcome=Outcome.FAILURE,
        detail={"username": username[:150]},
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    user = _user_named(username)
    record(
        "auth.locked_out",
        actor=None,
        target=user,
        outcome=Outcome.DENIED,
        detail={"username": (username or "")[:150]},
        request=request,
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_logentry")
def _admin_logged(sender, instance, created, raw=False, **kwargs):
    """One object added, changed or deleted in the admin site (inside the admin's transaction)."""
    action = _ADMIN_ACTIONS.get(instance.action_flag)
    if not created or raw or action is None:
        return
    content_type = instance.content_type
    object_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    object_id = str(instance.object_id or "")[:64]
    if recorded_in_request(action, object_type[:60], object_id):
        return  # portal's AuditedAdmin recorded it already
    record(
        action,
        actor=instance.user,
        target=(object_type, object_id, instance.object_repr),
        detail={"message": instance.get_change_message()[:500]},
    )
