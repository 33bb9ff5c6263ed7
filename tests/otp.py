"""The second sign-in factor in tests (SECURITY.md 14.15): a real TOTP device per user and the code its
authenticator app would show, so that tests sign in with both factors as a user would."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_for(user) -> TOTPDevice:
    """The user's confirmed device, made if there is none (as enrolment would)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one if this time step's code was used already (a
    device takes each code once): tolerance 1 accepts the next step's code too."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    while device.last_t + 1 - totp.t() > device.tolerance:  # used up to the next step: wait for a new one
        time.sleep(1)
        totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def code_for_user(user) -> str:
    return code_for(device_for(user))


def mark_verified(client, user) -> None:
    """After client.force_login(user): the session passed the second factor with the user's real
    device, as django_otp.login records it."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_for(user).persistent_id
    session.save()
