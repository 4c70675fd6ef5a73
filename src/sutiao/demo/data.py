"""The demo data set: institutions, 30 mediators, one log-in per role and demo cases.

Everything is made through the domains' actions (audited like any other change), with the
platform administrator as the actor, except where no action exists yet: the demo's known
TOTP key (`accounts` only enrols random keys) and the respondent's user on a demo case.
Idempotent: what exists already is left alone. Each step runs in its own transaction; one
that fails is reported in one line (`Loaded.problems`) and the others go on.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from sutiao.accounts import actions as account_actions
from sutiao.accounts.devices import AuthenticatorDevice
from sutiao.accounts.models import User
from sutiao.accounts.roles import SECOND_FACTOR_ROLES, Role
from sutiao.audit.log import record
from sutiao.core.errors import DomainError
from sutiao.institutions import actions as institution_actions
from sutiao.institutions.models import Court, IPOffice, MediationOrg
from sutiao.institutions.reference import IP_KIND_CODES
from sutiao.roster import actions as roster_actions
from sutiao.roster.models import Mediator

from . import batches as demo_batches
from . import casebook as demo_casebook
from . import cases as demo_cases
from . import training as demo_training

log = logging.getLogger("sutiao.demo")
T = TypeVar("T")
DEMO_PASSWORD = "Sutiao-Demo-2026"  # nosec B105 (docs/security-findings.md)
# Known demo TOTP key (hex; base32 below) so that people trying the demo can add it to an app.
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

ALL_KINDS = list(IP_KIND_CODES)


def make_id_number(region_code: str, birth: str, seq: int) -> str:
    """A checksum-valid resident identity number for demo and test people."""
    body = f"{region_code}{birth}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function expects a placeholder


@dataclass
class DemoLogin:
    role: str
    username: str
    institution: str
    second_factor: bool


@dataclass
class Loaded:
    logins: list[DemoLogin] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line per step that failed

    def step(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run one step in its own transaction; on failure note what and why, return None."""
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except Exception as exc:  # the demo must go on (scripts/run serves after it)
            log.debug("demo step failed: %s", what, exc_info=True)
            reason = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            self.problems.append(f"未能创建 / could not make {what}: {reason}")
            return None


# Birth registration places valid for births since 1988 (the check knows when codes existed).
BIRTHPLACES = ["110108", "110105", "440304", "440104", "440106"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = [
    "建国",
    "晓明",
    "丽华",
    "志强",
    "海燕",
    "文博",
    "静怡",
    "子涵",
    "国栋",
    "雪梅",
    "振华",
    "晨曦",
    "嘉欣",
    "立新",
    "思远",
    "婉清",
    "宏伟",
    "佳琪",
    "德胜",
    "美玲",
    "浩然",
    "若兰",
    "鹏飞",
    "慧敏",
    "永康",
    "秋月",
    "天佑",
    "雨桐",
    "明哲",
    "安琪",
]


# Offices, courts and organisations: (name, level, region, parent name, extra fields).
OFFICES = [
    ("国家知识产权局", IPOffice.Level.NATIONAL, None, None),
    ("北京市知识产权局", IPOffice.Level.PROVINCIAL, "110000", "国家知识产权局"),
    ("广东省知识产权局", IPOffice.Level.PROVINCIAL, "440000", "国家知识产权局"),
    ("江苏省知识产权局", IPOffice.Level.PROVINCIAL, "320000", "国家知识产权局"),
    ("广州市知识产权局", IPOffice.Level.MUNICIPAL, "440100", "广东省知识产权局"),
    ("深圳市市场监督管理局（知识产权局）", IPOffice.Level.MUNICIPAL, "440300", "广东省知识产权局"),
    ("苏州市知识产权局", IPOffice.Level.MUNICIPAL, "320500", "江苏省知识产权局"),
]
COURTS = [
    ("最高人民法院", Court.Level.SUPREME, "110000", None, {"case_number_code": "最高法"}),
    ("北京市高级人民法院", Court.Level.HIGH, "110000", "最高人民法院", {"case_number_code": "京"}),
    ("广东省高级人民法院", Court.Level.HIGH, "440000", "最高人民法院", {"case_number_code": "粤"}),
    (
        "北京知识产权法院",
        Court.Level.INTERMEDIATE,
        "110108",
        "北京市高级人民法院",
        {"case_number_code": "京73", "is_ip_court": True, "has_ip_tribunal": False},
    ),
    (
        "深圳市中级人民法院",
        Court.Level.INTERMEDIATE,
        "440300",
        "广东省高级人民法院",
        {"case_number_code": "粤03"},
    ),
    (
        "广州市中级人民法院",
        Court.Level.INTERMEDIATE,
        "440100",
        "广东省高级人民法院",
        {
            "case_number_code": "粤01",
            "ip_kinds": ["trademark", "copyright", "unfair_competition", "trade_secret", "other"],
        },
    ),
    (
        "佛山市中级人民法院",
        Court.Level.INTERMEDIATE,
        "440600",
        "广东省高级人民法院",
        {
            "case_number_code": "粤06",
            "ip_kinds": ["trademark", "copyright", "unfair_competition", "other"],
        },
    ),
]
ORGS = [
    (
        "中国（北京）知识产权保护中心",
        "protection_centre",
        "110108",
        False,
        ["patent", "trademark", "copyright"],
        "12110000MB1D058305",
    ),
    (
        "中国（佛山）知识产权快速维权中心",
        "rapid_protection_centre",
        "440604",
        False,
        ["patent", "trademark"],
        "",
    ),
    ("广东省知识产权维权援助中心", "rights_assistance_centre", "440104", False, ALL_KINDS, ""),
    ("深圳市版权协会调解委员会", "industry_association", "440304", False, ["copyright"], ""),
    (
        "广州市知识产权人民调解委员会",
        "peoples_mediation_committee",
        "440106",
        False,
        ["patent", "trademark", "copyright", "unfair_competition"],
        "",
    ),
    (
        "深圳国际仲裁院调解中心",
        "commercial_mediation",
        "440304",
        True,
        ["patent", "trade_secret", "technology_contract", "unfair_competition"],
        "",
    ),
]
# (role, username, real name, identity number or None, institution kind, institution name)
LOGINS = [
    (Role.PLATFORM_ADMIN, "admin", "平台管理员", None, None, None),
    (Role.PARTY, "party", "张三", "110105199003071234", None, None),
    (Role.PARTY, "party2", "李四", "110108199106061234", None, None),
    # 李四's lawyer on the demo case under mediation (special authorisation).
    (Role.PARTY, "lawyer", "孙律师", "110105198807071234", None, None),
    # The mediator log-in is mediator No. 0 (王建国): same identity number, linked by roster.
    (Role.MEDIATOR, "mediator", "王建国", None, "org", ORGS[0][0]),
    (Role.ORG_ADMIN, "orgadmin", "李秀英", "110108198505063312", "org", ORGS[0][0]),
    (
        Role.IP_OFFICE_STAFF,
        "ipoffice",
        "赵敏",
        "110101198001011234",
        "ip_office",
        "北京市知识产权局",
    ),
    (Role.COURT_CLERK, "clerk", "刘洋", "110108199202021234", "court", "北京知识产权法院"),
    (Role.JUDGE, "judge", "陈法官", "110108197803031234", "court", "北京知识产权法院"),
    (
        Role.NATIONAL_SUPERVISOR,
        "supervisor",
        "周督导",
        "110101197012121234",
        "court",
        "最高人民法院",
    ),
    # Two typical-case editors of the court: one drafts, the other reviews (casebook).
    (Role.CASEBOOK_EDITOR, "editor", "吴编辑", "110108198604041234", "court", "北京知识产权法院"),
    (Role.CASEBOOK_EDITOR, "reviewer", "郑审核", "110108198705051234", "court", "北京知识产权法院"),
]
# The order the command prints them in (unchanged since the first demo).
SHOWN = [
    "party",
    "party2",
    "mediator",
    "orgadmin",
    "ipoffice",
    "clerk",
    "judge",
    "supervisor",
    "admin",
    "lawyer",
    "editor",
    "reviewer",
]
INSTITUTIONS: dict[str, type] = {"court": Court, "ip_office": IPOffice, "org": MediationOrg}


def _mediator_id_number(i: int) -> str:
    birthplace = BIRTHPLACES[i % len(BIRTHPLACES)]
    return make_id_number(birthplace, f"{1988 + i % 10:04d}{(i % 12) + 1:02d}15", i + 100)


def _login(
    role: str,
    username: str,
    real_name: str,
    id_seed: str | None,
    kind: str | None,
    institution: str | None,
) -> DemoLogin:
    user = User.objects.filter(username=username).first()
    if user is None:
        if role == Role.MEDIATOR:
            id_number = _mediator_id_number(0)
        elif id_seed:
            id_number = make_id_number(id_seed[:6], id_seed[6:14], 200 + SHOWN.index(username))
        else:
            id_number = make_id_number("110108", "19800101", 300 + SHOWN.index(username))
        user = account_actions.register_person(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            real_name=real_name,
            id_number=id_number,
            phone=f"1380013{SHOWN.index(username):04d}",
            email=f"{username}@demo.sutiao.local",
        )
    inst = INSTITUTIONS[kind].objects.get(name=institution) if kind else None
    account_actions.add_membership(
        actor=None, user=user, role=role, **({kind: inst} if kind else {})
    )
    if role == Role.MEDIATOR:
        roster_actions.link_account(user=user)
    if role == Role.PARTY and not user.identity_verified_at:
        # The demo's parties have verified identities (OLR 7); the one-time code of
        # accounts.actions.confirm_verification would go to a phone nobody holds: written
        # directly.
        User.objects.filter(pk=user.pk).update(identity_verified_at=timezone.now())
    needs = role in SECOND_FACTOR_ROLES
    if needs and not AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists():
        # No action enrols a known key (accounts draws a random one): written directly.
        AuthenticatorDevice.objects.create(
            user=user, name="demo", key=DEMO_TOTP_HEX, confirmed=True
        )
    return DemoLogin(role, username, str(inst or ""), needs)


def _admin() -> User:
    return User.objects.get(username="admin")


def _office(name: str, level: str, region: str | None, parent: str | None) -> None:
    if IPOffice.objects.filter(name=name).exists():
        return
    data: dict[str, Any] = {"name": name, "level": level}
    if region:
        data["region"] = region
    if parent:
        data["parent"] = IPOffice.objects.get(name=parent).pk
    institution_actions.save_ip_office(actor=_admin(), office=None, data=data)


def _court(name: str, level: str, region: str, parent: str | None, extra: dict) -> None:
    if Court.objects.filter(name=name).exists():
        return
    data = {
        "name": name,
        "level": level,
        "region": region,
        "has_ip_tribunal": True,
        "ip_kinds": ALL_KINDS,
        **extra,
    }
    if parent:
        data["parent"] = Court.objects.get(name=parent).pk
    institution_actions.save_court(actor=_admin(), court=None, data=data)


def _org(name: str, kind: str, region: str, fees: bool, kinds: list[str], uscc: str) -> None:
    if MediationOrg.objects.filter(name=name).exists():
        return
    institution_actions.save_org(
        actor=_admin(),
        org=None,
        data={
            "name": name,
            "kind": kind,
            "region": region,
            "charges_fees": fees,
            "uscc": uscc,
            "description": f"{name}受理知识产权纠纷调解。",
            "ip_kinds": kinds,
        },
    )


def _mediators() -> None:
    orgs = [MediationOrg.objects.get(name=o[0]) for o in ORGS]
    rng = random.Random(2026)  # same demo every time  # nosec B311 (docs/security-findings.md)
    for i in range(30):
        org = orgs[i % len(orgs)]
        technical_fields = rng.choice(["通信", "生物医药", "机械", "软件", "化工", "外观设计"])
        probe = Mediator()
        probe.set_id_number(_mediator_id_number(i))
        if Mediator.objects.filter(id_number_hash=probe.id_number_hash).exists():
            continue
        roster_actions.save_mediator(
            actor=_admin(),
            mediator=None,
            data={
                "name": SURNAMES[i] + GIVEN[i],
                "id_number": _mediator_id_number(i),
                "region": org.region_id,
                "phone": f"139{i:08d}",
                "charges_fees": org.charges_fees,
                "technical_fields": technical_fields,
                "orgs": [org.pk],
                "ip_kinds": list(org.ip_kinds.values_list("code", flat=True)),
            },
        )


def load() -> Loaded:
    loaded = Loaded()
    loaded.step("demo.loaded", record, "demo", "demo.loaded", summary="demo data loaded")
    by_name: dict[str, DemoLogin] = {}
    admin = LOGINS[0]
    made = loaded.step(f"log-in {admin[1]}", _login, *admin)
    if made:
        by_name[admin[1]] = made
    for office in OFFICES:
        loaded.step(f"IP office {office[0]}", _office, *office)
    for court in COURTS:
        loaded.step(f"court {court[0]}", _court, *court)
    for org in ORGS:
        loaded.step(f"organisation {org[0]}", _org, *org)
    loaded.step("mediators", _mediators)
    for login in LOGINS[1:]:
        made = loaded.step(f"log-in {login[1]}", _login, *login)
        if made:
            by_name[login[1]] = made
    loaded.logins = [by_name[u] for u in SHOWN if u in by_name]
    demo_cases.load(loaded, court_name="北京知识产权法院", org_name=ORGS[0][0])
    demo_batches.load(loaded, court_name="北京知识产权法院")
    demo_training.load(loaded)
    loaded.step("typical cases", demo_casebook.load)
    return loaded
