"""Builders for test data: real rows through the real actions where it matters."""

from __future__ import annotations

import itertools
import time

from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP

from sutiao.accounts import actions
from sutiao.accounts.devices import AuthenticatorDevice
from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.demo.data import make_id_number
from sutiao.institutions.models import Court, IPKind, IPOffice, MediationOrg

PASSWORD = "Test-Password-2026"
_seq = itertools.count(1)


def id_number(seq: int | None = None) -> str:
    n = seq if seq is not None else next(_seq)
    return make_id_number("110108", f"19{80 + n % 15:02d}0{1 + n % 9}1{n % 9}", n)


def court(name: str | None = None, *, region: str = "110000", code: str = "京73", **kw) -> Court:
    c = Court.objects.create(
        name=name or f"测试法院{next(_seq)}",
        level=kw.pop("level", "intermediate"),
        region_id=region,
        case_number_code=code,
        has_ip_tribunal=True,
        **kw,
    )
    c.ip_kinds.set(IPKind.objects.filter(code__in=["patent", "trademark"]))
    return c


def office(
    name: str | None = None,
    *,
    region: str | None = "110000",
    level: str = "provincial",
    parent: IPOffice | None = None,
) -> IPOffice:
    return IPOffice.objects.create(
        name=name or f"测试知识产权局{next(_seq)}", level=level, region_id=region, parent=parent
    )


def org(
    name: str | None = None, *, region: str = "110108", kind: str = "protection_centre"
) -> MediationOrg:
    return MediationOrg.objects.create(
        name=name or f"测试调解组织{next(_seq)}", kind=kind, region_id=region
    )


def person(
    role: str | None = None, *, username: str | None = None, verified: bool = True, **institution
) -> User:
    """A person with an account; `verified`: their identity was verified (OLR 7) as
    accounts.actions.confirm_verification records it (tests of that path pass False)."""
    n = next(_seq)
    user = actions.register_person(
        actor=None,
        username=username or f"user{n}",
        password=PASSWORD,
        real_name=f"测试{n}号",
        id_number=id_number(n),
        phone=f"1390000{n:04d}",
    )
    if role:
        actions.add_membership(actor=None, user=user, role=role, **institution)
    if verified:
        User.objects.filter(pk=user.pk).update(identity_verified_at=timezone.now())
    return User.objects.get(pk=user.pk)


def with_totp(user: User) -> AuthenticatorDevice:
    return AuthenticatorDevice.objects.create(user=user, name="test", confirmed=True)


def next_code(device: AuthenticatorDevice) -> str:
    """The code the person's authenticator app shows that the device has not accepted yet:
    the current step's, or the next one's (the device takes one step each way, and its drift
    follows an app whose clock runs ahead, as in production). Never the step before: the
    30-second window may turn before the server checks it."""
    now = int((time.time() - device.t0) // device.step) + device.drift
    for step in (now, now + 1):
        if step > device.last_t:
            break
    else:
        raise AssertionError("both codes of this moment were used; log in once per step")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def client_for(user: User) -> Client:
    """A logged-in client. Everyone who acts for an institution passes the real second factor
    after the password step: the code from their authenticator (a device is enrolled for them
    if they have none), posted to the second-factor page as a person types it."""
    client = Client()
    user = User.objects.get(pk=user.pk)  # as the password step loads it
    client.force_login(user)  # the password step: a session with its clocks started
    if user.needs_second_factor:
        device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first() or with_totp(
            user
        )
        answer = client.post("/accounts/second-factor/", {"token": next_code(device)})
        assert answer.status_code == 302, answer.content.decode()[:2000]
        assert not answer["Location"].startswith("/accounts/"), answer["Location"]
    return client


def admin() -> User:
    return person(Role.PLATFORM_ADMIN)
