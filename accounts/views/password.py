"""Password reset by e-mail (SECURITY.md, web security: no user enumeration through its messages).

Django's views, with the portal's rules: the page after a request reads the same whether the
address has an account or not (the e-mail goes only to an active account with a password); at most
PASSWORD_RESETS_PER_HOUR requests per client address (accounts.address_limits); the new password passes the portal's password
rule (SetPasswordForm runs the validators); the request and the reset are in the audit log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts.address_limits import reset_requests_allowed
from audit.models import Outcome
from audit.services import record

logger = logging.getLogger(__name__)


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Django's, but a failure is in the audit log, not only in the server's log."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        try:
            EmailMultiAlternatives(subject, body, from_email, [to_email]).send()
        except Exception:  # the mail server is down; the page must not tell either way
            logger.warning("password reset mail to user %s not sent", context["user"].pk, exc_info=True)
            record(
                "portal.password.reset.mail_failed",
                target=context["user"],
                outcome=Outcome.FAILURE,
                detail={"email": to_email},
            )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_email_context = {"site_name": settings.PORTAL_TITLE}

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not reset_requests_allowed(getattr(request, "client_ip", None)):
            form.is_valid()
            form.add_error(None, _("重设密码的请求过于频繁，请一小时后再试。"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.form_valid(form)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        accounts = list(form.get_users(email))
        record(
            "portal.password.reset.request",
            target=accounts[0] if accounts else ("portal.user", "", email),
            detail={"email": email, "accounts": len(accounts)},
        )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        response = super().form_valid(form)
        record("portal.password.reset", actor=self.user, target=self.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
