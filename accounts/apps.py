from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in, the second factor, lock-out and address limits, password change and reset, API tokens
    and the revocation of credentials. Its models stay in the base (portal.User, portal.APIToken);
    it sits above audit, which records every sign-in event (Lhasa art. 39)."""

    name = "accounts"
    verbose_name = _("账号与登录")
