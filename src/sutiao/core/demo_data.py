"""The demo data set: institutions, 30 mediators and one log-in per role. Idempotent."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import ric

from sutiao.accounts import actions as account_actions
from sutiao.accounts.models import User
from sutiao.accounts.roles import SECOND_FACTOR_ROLES, Role
from sutiao.audit.log import record
from sutiao.institutions.models import Court, IPKind, IPOffice, MediationOrg
from sutiao.roster.models import Mediator

DEMO_PASSWORD = "Sutiao-Demo-2026"
# Known demo TOTP key (hex; base32 below) so that people trying the demo can add it to an app.
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

ALL_KINDS = [
    "patent",
    "trademark",
    "copyright",
    "trade_secret",
    "unfair_competition",
    "geographical_indication",
    "ic_layout",
    "plant_variety",
    "technology_contract",
    "other",
]


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


def _court(
    name, level, region, parent=None, code="", ip_court=False, tribunal=True, kinds=ALL_KINDS
):
    court, _ = Court.objects.get_or_create(
        name=name,
        defaults={
            "level": level,
            "region_id": region,
            "parent": parent,
            "case_number_code": code,
            "is_ip_court": ip_court,
            "has_ip_tribunal": tribunal,
        },
    )
    court.ip_kinds.set(IPKind.objects.filter(code__in=kinds))
    return court


def _office(name, level, region, parent=None):
    office, _ = IPOffice.objects.get_or_create(
        name=name, defaults={"level": level, "region_id": region, "parent": parent}
    )
    return office


def _org(name, kind, region, fees, kinds, uscc=""):
    org, _ = MediationOrg.objects.get_or_create(
        name=name,
        defaults={
            "kind": kind,
            "region_id": region,
            "charges_fees": fees,
            "uscc": uscc,
            "description": f"{name}受理知识产权纠纷调解。",
        },
    )
    org.ip_kinds.set(IPKind.objects.filter(code__in=kinds))
    return org


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


@transaction.atomic
def load() -> list[DemoLogin]:
    record("demo", "demo.loaded", summary="demo data loaded")
    cnipa = _office("国家知识产权局", IPOffice.Level.NATIONAL, None)
    bj_office = _office("北京市知识产权局", IPOffice.Level.PROVINCIAL, "110000", cnipa)
    gd_office = _office("广东省知识产权局", IPOffice.Level.PROVINCIAL, "440000", cnipa)
    js_office = _office("江苏省知识产权局", IPOffice.Level.PROVINCIAL, "320000", cnipa)
    _office("广州市知识产权局", IPOffice.Level.MUNICIPAL, "440100", gd_office)
    _office("深圳市市场监督管理局（知识产权局）", IPOffice.Level.MUNICIPAL, "440300", gd_office)
    _office("苏州市知识产权局", IPOffice.Level.MUNICIPAL, "320500", js_office)

    spc = _court("最高人民法院", Court.Level.SUPREME, "110000", code="最高法", tribunal=True)
    bj_high = _court("北京市高级人民法院", Court.Level.HIGH, "110000", spc, "京")
    gd_high = _court("广东省高级人民法院", Court.Level.HIGH, "440000", spc, "粤")
    bj_ip = _court(
        "北京知识产权法院",
        Court.Level.INTERMEDIATE,
        "110108",
        bj_high,
        "京73",
        ip_court=True,
        tribunal=False,
    )
    _court("深圳市中级人民法院", Court.Level.INTERMEDIATE, "440300", gd_high, "粤03")
    _court(
        "广州市中级人民法院",
        Court.Level.INTERMEDIATE,
        "440100",
        gd_high,
        "粤01",
        kinds=["trademark", "copyright", "unfair_competition", "trade_secret", "other"],
    )
    _court(
        "佛山市中级人民法院",
        Court.Level.INTERMEDIATE,
        "440600",
        gd_high,
        "粤06",
        kinds=["trademark", "copyright", "unfair_competition", "other"],
    )

    orgs = [
        _org(
            "中国（北京）知识产权保护中心",
            "protection_centre",
            "110108",
            False,
            ["patent", "trademark", "copyright"],
            "12110000MB1D058305",
        ),
        _org(
            "中国（佛山）知识产权快速维权中心",
            "rapid_protection_centre",
            "440604",
            False,
            ["patent", "trademark"],
        ),
        _org("广东省知识产权维权援助中心", "rights_assistance_centre", "440104", False, ALL_KINDS),
        _org("深圳市版权协会调解委员会", "industry_association", "440304", False, ["copyright"]),
        _org(
            "广州市知识产权人民调解委员会",
            "peoples_mediation_committee",
            "440106",
            False,
            ["patent", "trademark", "copyright", "unfair_competition"],
        ),
        _org(
            "深圳国际仲裁院调解中心",
            "commercial_mediation",
            "440304",
            True,
            ["patent", "trade_secret", "technology_contract", "unfair_competition"],
        ),
    ]

    rng = random.Random(2026)  # same demo every time
    for i in range(30):
        org = orgs[i % len(orgs)]
        name = SURNAMES[i] + GIVEN[i]
        birthplace = BIRTHPLACES[i % len(BIRTHPLACES)]
        id_number = make_id_number(birthplace, f"{1988 + i % 10:04d}{(i % 12) + 1:02d}15", i + 100)
        mediator = Mediator(
            name=name,
            region_id=org.region_id,
            phone=f"139{i:08d}",
            charges_fees=org.charges_fees,
            technical_fields=rng.choice(["通信", "生物医药", "机械", "软件", "化工", "外观设计"]),
        )
        mediator.set_id_number(id_number)
        existing = Mediator.objects.filter(id_number_hash=mediator.id_number_hash).first()
        if existing:
            continue
        mediator.save()
        mediator.orgs.add(org)
        mediator.ip_kinds.set(org.ip_kinds.all())

    logins = [
        (Role.PARTY, "party", {}),
        (Role.PARTY, "party2", {}),
        (Role.MEDIATOR, "mediator", {"org": orgs[0]}),
        (Role.ORG_ADMIN, "orgadmin", {"org": orgs[0]}),
        (Role.IP_OFFICE_STAFF, "ipoffice", {"ip_office": bj_office}),
        (Role.COURT_CLERK, "clerk", {"court": bj_ip}),
        (Role.JUDGE, "judge", {"court": bj_ip}),
        (Role.NATIONAL_SUPERVISOR, "supervisor", {"court": spc}),
        (Role.PLATFORM_ADMIN, "admin", {}),
    ]
    people = {
        "party": ("张三", "110105199003071234"),
        "party2": ("李四", "110108199106061234"),
        "mediator": ("王建国", None),
        "orgadmin": ("李秀英", "110108198505063312"),
        "ipoffice": ("赵敏", "110101198001011234"),
        "clerk": ("刘洋", "110108199202021234"),
        "judge": ("陈法官", "110108197803031234"),
        "supervisor": ("周督导", "110101197012121234"),
        "admin": ("平台管理员", None),
    }
    result = []
    for i, (role, username, institution) in enumerate(logins):
        user = User.objects.filter(username=username).first()
        if user is None:
            real_name, id_seed = people[username]
            id_number = make_id_number(id_seed[:6], id_seed[6:14], 200 + i) if id_seed else ""
            user = account_actions.register_person(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                real_name=real_name,
                id_number=id_number or make_id_number("110108", "19800101", 300 + i),
                phone=f"1380013{i:04d}",
                email=f"{username}@demo.sutiao.local",
            )
        account_actions.add_membership(actor=None, user=user, role=role, **institution)
        if role == Role.MEDIATOR:
            Mediator.objects.filter(
                pk=Mediator.objects.filter(orgs=orgs[0]).first().pk, user__isnull=True
            ).update(user=user)
        needs = role in SECOND_FACTOR_ROLES
        if needs and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_HEX, confirmed=True)
        inst = next(iter(institution.values()), None)
        result.append(DemoLogin(role, username, str(inst or ""), needs))
    _demo_cases(orgs[0], bj_ip)
    return result


def _demo_cases(org, court) -> None:
    """Cases at every stage, from application to a confirmed agreement (judicial.demo)."""
    from sutiao.judicial import demo

    people = {u.username: u for u in User.objects.filter(
        username__in=["party", "party2", "clerk", "judge", "mediator", "admin"])}
    demo.load(court=court, org=org, party=people["party"], party2=people["party2"],
              clerk=people["clerk"], judge=people["judge"], mediator_user=people["mediator"],
              admin=people["admin"])
