"""The one page-side handling of domain errors (portal.pages, config.middleware.DomainErrorPageMiddleware):
a refusal is a form error, a message on the next page, or the error page with its status."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from config.middleware import DomainErrorPageMiddleware
from portal.errors import ConflictError, DomainError, PermissionDeniedError
from portal.pages import form_errors, refused
from sharing.models import Application
from sharing.services import applications
from sharing.services.refusals import QuotaExceededError
from tests.sharing import factories


class _Form(forms.Form):
    name = forms.CharField(required=False)
    password1 = forms.CharField(required=False)
    file = forms.CharField(required=False)


def _bound():
    form = _Form({})
    form.is_valid()
    return form


def test_form_errors_go_on_the_fields_they_name_else_on_top():
    form = _bound()
    form_errors(
        form,
        DomainError("x", errors={"name": ["名称重复"], "password": ["密码太短"], "ghost": ["其他"]}),
        rename={"password": "password1"},
    )
    assert form.errors["name"] == ["名称重复"] and form.errors["password1"] == ["密码太短"]
    assert form.non_field_errors() == ["其他"]
    plain, on_file = _bound(), _bound()
    form_errors(plain, DomainError("文件无法读取"))
    form_errors(on_file, DomainError("文件无法读取"), default_field="file")
    assert plain.non_field_errors() == ["文件无法读取"] and on_file.errors["file"] == ["文件无法读取"]
    with pytest.raises(PermissionDeniedError):
        form_errors(_bound(), PermissionDeniedError())


def _request():
    request = RequestFactory().post("/sharing/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_refused_turns_a_rule_into_a_message_and_skips_the_rest_of_the_block():
    request, ran = _request(), []

    def decide():
        raise ConflictError("已被他人办理")

    with refused(request) as refusal:
        decide()
        ran.append("the success message")
    assert ran == [] and isinstance(refusal.error, ConflictError)
    assert [str(m) for m in get_messages(request)] == ["已被他人办理"]


def test_refused_lets_permission_and_rate_limits_through_unless_told():
    with pytest.raises(PermissionDeniedError), refused(_request()):
        raise PermissionDeniedError("无权办理")
    with pytest.raises(QuotaExceededError), refused(_request(), permission_as_message=True):
        raise QuotaExceededError(retry_after=30)
    request = _request()
    with refused(request, permission_as_message=True):
        raise PermissionDeniedError("无权办理")
    assert [str(m) for m in get_messages(request)] == ["无权办理"]


@pytest.mark.django_db
def test_a_refusal_a_page_lets_through_is_the_error_page_with_its_status_and_retry_after(staff):
    request = RequestFactory().get("/sharing/")
    request.user = staff
    middleware = DomainErrorPageMiddleware(lambda r: None)
    page = middleware.process_exception(request, QuotaExceededError("使用过于频繁", retry_after=30))
    assert page.status_code == 429 and page["Retry-After"] == "30" and "使用过于频繁" in page.content.decode()
    conflict = middleware.process_exception(request, ConflictError())
    assert conflict.status_code == 409 and "数据已被他人修改" in conflict.content.decode()
    assert middleware.process_exception(request, ValueError("not ours")) is None


@pytest.mark.django_db
def test_a_late_second_decision_on_the_page_is_a_message_not_an_error(client):
    world = factories.world(rows=False)
    application = factories.apply(world)
    applications.application_approve(actor=world.provider_officer, application=application)
    client.force_login(world.provider_officer)
    response = client.post(reverse("sharing:application_refuse", args=[application.pk]), {"reason": "晚到的决定"})
    assert response.status_code == 302 and response.url == reverse("sharing:application", args=[application.pk])
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "已经办理" in shown[0]
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
