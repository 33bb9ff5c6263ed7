"""Sign-in events into the audit log: sign-in, sign-out, failed sign-in, lock-out."""
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import Outcome
from audit.services import record


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
    record("auth.login_failed", actor=None, target=user, outcome=Outcome.FAILURE,
           detail={"username": username[:150]}, request=request)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    user = _user_named(username)
    record("auth.locked_out", actor=None, target=user, outcome=Outcome.DENIED,
           detail={"username": (username or "")[:150]}, request=request)
