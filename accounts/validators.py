"""The password validator that revokes what an old password gave out (AUTH_PASSWORD_VALIDATORS)."""

from django.utils.translation import gettext as _

from accounts.services.credentials import credentials_revoke


class CredentialsEndWithPassword:
    """SECURITY.md 14.9: a new password ends what the old one gave out. Django calls password_changed() on
    every configured validator right after a changed password is saved, whatever path set it (the
    change and reset pages, the admin's password form, `manage.py changepassword`) and never for a
    hash upgrade at sign-in, so this is the one place that sees them all. Sessions need nothing here:
    Django's session verification refuses every session made with the old password (the one the
    change page keeps is re-keyed with the new one)."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        credentials_revoke(user=user, cause="password_changed")

    def get_help_text(self):
        return _("修改或重设密码后，此前签发的接口令牌、接口密钥和其他设备上的登录都将失效。")
