"""The institutions of a generated data set: a few provinces, their cities, a high court and
an IP office per province, an intermediate court, an IP office and organisations per city,
and mediators per organisation. Names carry the seed, so two seeds coexist.

At national size most mediators sit in organisations that see few IP cases (people's
mediation committees, trade associations): the other mediators are spread
over roster-only organisations of ROSTER_ORG_SIZE each across the cities, so that the
roster holds `roster` mediators in all (when that is more than the case-handling ones). They are on the
roster (what the roster pages and the matching read) but receive no generated case, so the
figures keep the shape of the case-handling organisations whatever the roster's size."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sutiao.institutions.models import Court, IPOffice, MediationOrg, Region
from sutiao.roster.models import Mediator

from .rows import insert

ROSTER_ORG_SIZE = 10


@dataclass
class City:
    region: str
    court: int
    orgs: list[int] = field(default_factory=list)
    mediators: dict[int, list[int]] = field(default_factory=dict)  # org id → mediator ids


def _court(name: str, region: str, level: str, code: str) -> Court:
    court, _ = Court.objects.get_or_create(
        name=name,
        defaults={
            "level": level,
            "region_id": region,
            "case_number_code": code,
            "has_ip_tribunal": True,
        },
    )
    return court


def build(
    rng: random.Random,
    *,
    seed: int,
    provinces: int,
    cities: int,
    orgs: int,
    mediators: int,
    roster: int = 0,
) -> list[City]:
    """Institutions for `provinces` provinces × `cities` cities (fewer where a province has
    fewer), `orgs` organisations per city and `mediators` mediators per organisation."""
    national, _ = IPOffice.objects.get_or_create(
        name="国家知识产权局", defaults={"level": IPOffice.Level.NATIONAL}
    )
    # The mainland provinces (the courts of Taiwan, Hong Kong and Macao are not on the platform).
    all_provinces = list(
        Region.objects.filter(level=Region.Level.PROVINCE)
        .exclude(code__in=["710000", "810000", "820000"])
        .order_by("code")
    )
    chosen = sorted(rng.sample(all_provinces, min(provinces, len(all_provinces))), key=str)
    built: list[City] = []
    for province in chosen:
        short = province.name[:2]
        _court(f"{province.name}高级人民法院（生成{seed}）", province.code, "high", short + "民")
        office, _ = IPOffice.objects.get_or_create(
            name=f"{province.name}知识产权局（生成{seed}）",
            defaults={"level": "provincial", "region": province, "parent": national},
        )
        prefectures = list(
            Region.objects.filter(parent=province, level=Region.Level.PREFECTURE).order_by("code")
        ) or [province]
        for region in prefectures[:cities]:
            built.append(_city(region, office, seed=seed, orgs=orgs, mediators=mediators))
    handling = sum(len(people) for city in built for people in city.mediators.values())
    _roster_only(built, seed=seed, mediators=roster - handling)
    return built


def _people(org_ids: list[int], regions: list[str], sizes: list[int]) -> dict[int, list[int]]:
    """`sizes[i]` new mediators in organisation i (bulk rows: COPY on PostgreSQL)."""
    ids = insert(
        Mediator,
        [
            {"name": f"调解员{org}-{m}", "region_id": region}
            for org, region, size in zip(org_ids, regions, sizes, strict=True)
            for m in range(1, size + 1)
        ],
    )
    people, at = {}, 0
    for org, size in zip(org_ids, sizes, strict=True):
        people[org], at = ids[at : at + size], at + size
    insert(
        Mediator.orgs.through,
        [{"mediator_id": m, "mediationorg_id": org} for org, ms in people.items() for m in ms],
    )
    return people


def _roster_only(cities: list[City], *, seed: int, mediators: int) -> None:
    count = -(-mediators // ROSTER_ORG_SIZE)  # the last one takes the remainder
    have = MediationOrg.objects.filter(name__startswith=f"R{seed}-").count()
    if not cities or count <= have:
        return
    regions = [cities[n % len(cities)].region for n in range(have, count)]
    org_ids = insert(
        MediationOrg,
        [
            {
                "name": f"R{seed}-{n}调解委员会",
                "kind": MediationOrg.Kind.PEOPLES_MEDIATION_COMMITTEE,
                "region_id": region,
            }
            for n, region in zip(range(have, count), regions, strict=True)
        ],
    )
    sizes = [ROSTER_ORG_SIZE] * len(org_ids)
    sizes[-1] = mediators - ROSTER_ORG_SIZE * (count - 1)
    _people(org_ids, regions, sizes)


def _city(region: Region, office: IPOffice, *, seed: int, orgs: int, mediators: int) -> City:
    name = region.full_name
    court = _court(
        f"{name}中级人民法院（生成{seed}）", region.code, "intermediate", name[:1] + "知"
    )
    IPOffice.objects.get_or_create(
        name=f"{name}知识产权局（生成{seed}）",
        defaults={"level": "municipal", "region": region, "parent": office},
    )
    city = City(region=region.code, court=court.pk)
    for n in range(1, orgs + 1):
        org, created = MediationOrg.objects.get_or_create(
            name=f"{name}知识产权纠纷调解中心{n}（生成{seed}）",
            defaults={"kind": MediationOrg.Kind.PROTECTION_CENTRE, "region": region},
        )
        people = list(org.mediators.order_by("id").values_list("id", flat=True))
        if created or not people:
            people = _people([org.pk], [region.code], [mediators])[org.pk]
        city.orgs.append(org.pk)
        city.mediators[org.pk] = people
    return city
