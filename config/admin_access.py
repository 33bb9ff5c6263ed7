"""The Django admin only from the networks in ADMIN_ALLOWED_NETWORKS (SECURITY.md 14.16).

The back office changes accounts, roles and departments: production may keep it to the bureau's
own networks (Lhasa art. 40 访问认证). With the setting empty (the default) nothing is restricted.
A request to /admin/ from any other client address is refused with 403 before the admin's views
(its sign-in page too) and recorded as `admin.address_denied` with the address (Lhasa art. 41, 43).
The client address is portal.request_context.client_ip's (the one of the audit log and the
throttles), so behind the proxy it is the proxy count's, not a forged header's.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseForbidden
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.request_context import client_ip


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for value in settings.ADMIN_ALLOWED_NETWORKS:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"ADMIN_ALLOWED_NETWORKS: {value!r} is not an address or network (CIDR)"
            ) from exc
    return networks


def address_allowed(address: str | None, networks) -> bool:
    if not networks:
        return True
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in networks)


class AdminAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = allowed_networks()  # a wrong value stops the start, not the first admin visit
        self._prefix = None

    def _admin_prefix(self) -> str:
        if self._prefix is None:
            self._prefix = reverse("admin:index")
        return self._prefix

    def __call__(self, request):
        if self.networks and request.path.startswith(self._admin_prefix()):
            address = getattr(request, "client_ip", None) or client_ip(request)
            if not address_allowed(address, self.networks):
                return self._refuse(request, address)
        return self.get_response(request)

    def _refuse(self, request, address):
        from audit.services import record

        record(
            "admin.address_denied",
            target=("route", "admin", request.path[:200]),
            outcome="denied",
            request=request,
            detail={"path": request.path[:300], "method": request.method, "client_ip": address or ""},
        )
        message = _("后台管理只能从允许的网络访问。")
        return HttpResponseForbidden(
            render_to_string("errors/error.html", {"message": message, "status": 403}, request=request)
        )
