"""Writing generated cases and what their stories imply, a batch at a time."""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.agreements.models import Agreement, AgreementTemplate, AgreementTemplateVersion
from sutiao.cases import load
from sutiao.cases.choices import Channel, PartyRole, State
from sutiao.cases.models import Case, FiledCase, Party
from sutiao.delivery.models import Service, ServiceKind
from sutiao.documents import codes
from sutiao.documents.models import Document
from sutiao.institutions.models import MediationOrg
from sutiao.judicial.choices import CourtBasis, MediationDocumentState
from sutiao.judicial.choices import State as ConfirmationState
from sutiao.judicial.models import ConfirmationApplication, MediationDocument
from sutiao.meetings.models import MeetingSession
from sutiao.meetings.models import State as SessionState
from sutiao.roster.models import Mediator

from . import institutions
from .rows import insert
from .story import DAY, HOUR, Story, tell

BATCH = 10_000
Progress = Callable[[int, int], None]
# `--preset`: cases and mediators on the roster (issue 14: 100 k, 1 M, 10 M cases with
# 50 k / 400 k mediators). The case-handling institutions keep generate()'s defaults.
PRESETS = {
    "100k": {"cases": 100_000, "roster": 50_000},
    "1m": {"cases": 1_000_000, "roster": 400_000},
    "10m": {"cases": 10_000_000, "roster": 400_000},
}


class ProgressBar:
    """A one-line bar on stderr with the rate and the time left."""

    def __init__(self, width: int = 30) -> None:
        self.width, self.started = width, time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0.0
        left = (total - done) / rate if rate else 0.0
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        sys.stderr.write(
            f"\r[{bar}] {done:,} / {total:,} cases · {rate:,.0f}/s · {left:,.0f} s left "
        )
        if done >= total:
            sys.stderr.write(f"\n{total:,} cases in {elapsed:,.0f} s\n")


def _progress_line(done: int, total: int) -> None:
    sys.stderr.write(f"\rgenerated {done:,} / {total:,} cases")
    if done == total:
        sys.stderr.write("\n")


def generate(
    *,
    cases: int,
    seed: int = 1,
    provinces: int = 6,
    cities: int = 3,
    orgs: int = 3,
    mediators: int = 6,
    years: int = 2,
    roster: int = 0,
    progress: Progress | None = _progress_line,
) -> int:
    """Generate `cases` cases submitted over the last `years` years; returns how many.
    `roster`: mediators on the roster in all (those of roster-only organisations added)."""
    rng = random.Random(seed)  # nosec B311 - demo data repeatable from a seed, no secret
    with transaction.atomic():
        built = institutions.build(
            rng,
            seed=seed,
            provinces=provinces,
            cities=cities,
            orgs=orgs,
            mediators=mediators,
            roster=roster,
        )
        writer = _Writer(seed)
    now = timezone.now()
    start = now - DAY * 365 * years
    done = 0
    while done < cases:
        stories = [tell(rng, built, start, now) for _ in range(min(BATCH, cases - done))]
        with transaction.atomic():
            writer.write(stories, rng, now)
        done += len(stories)
        if progress:
            progress(done, cases)
    _analyse()
    load.recount()  # the rows were written past Case.save: the mediators' loads from them
    return done


WRITTEN = (Case, Party, FiledCase, Agreement, ConfirmationApplication, Document)
WRITTEN_TOO = (MediationDocument, Service, MeetingSession, Mediator, MediationOrg)


def _analyse() -> None:
    """Fresh planner statistics for the tables just filled (PostgreSQL): without them the
    first queries over a million new rows (the figures' rebuild) pick plans for empty tables."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (*WRITTEN, *WRITTEN_TOO, Mediator.orgs.through):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # nosec B608


def _consent(story: Story) -> dict:
    """A mediation goes on only once every party has consented, with the notice of rights
    and duties acknowledged (OMR 4, 8; SIR 14): the parties of an accepted case did so by
    its acceptance, so its sessions can be recorded."""
    at = story.accepted  # rows.insert wants the same keys in every row
    return {"consents_online": True, "consent_at": at, "notice_acknowledged_at": at}


class _Writer:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.user, _ = User.objects.get_or_create(
            username=f"generator{seed}", defaults={"real_name": "数据生成", "is_active": False}
        )
        template, _ = AgreementTemplate.objects.get_or_create(
            code="generated", defaults={"name": "生成数据"}
        )
        self.version, _ = AgreementTemplateVersion.objects.get_or_create(
            template=template, number=1, defaults={"title": "调解协议书", "published": False}
        )
        self.serial = Case.objects.count()

    def write(self, stories: list[Story], rng: random.Random, now: dt.datetime) -> None:
        dockets = self._dockets([s for s in stories if s.channel == Channel.ENTRUSTED])
        cases = insert(Case, [self._case(s, dockets.get(id(s))) for s in stories])
        pairs = list(zip(cases, stories, strict=True))
        parties = insert(
            Party,
            [
                {"case_id": c, "role": role, "name": f"{'甲乙'[n]}方{c}", **_consent(s)}
                for c, s in pairs
                for n, role in enumerate((PartyRole.APPLICANT, PartyRole.RESPONDENT))
            ],
        )
        by_case = {c: parties[2 * i : 2 * i + 2] for i, (c, _) in enumerate(pairs)}
        self._filed([(c, s) for c, s in pairs if s.filed])
        settled = [(c, s) for c, s in pairs if s.state == State.SETTLED]
        agreements = self._agreements(settled)
        self._confirmations(settled, agreements, rng, now)
        self._documents(
            [(c, s, dockets[id(s)]) for c, s in settled if s.channel == Channel.ENTRUSTED], rng, now
        )
        self._services(settled, by_case, rng)
        self._sessions([(c, s) for c, s in pairs if s.video and s.ended])

    def _number(self, kind: str) -> str:
        self.serial += 1
        return f"G{self.seed}{kind}{self.serial}"

    def _code(self) -> str:
        """A code the verification page accepts (documents.codes' alphabet and length),
        unique per seed and serial: the seed and the serial written in base 31."""
        self.serial += 1
        n = (self.seed % 31**2) * 31 ** (codes.LENGTH - 2) + self.serial % 31 ** (codes.LENGTH - 2)
        digits = []
        for _ in range(codes.LENGTH):
            n, r = divmod(n, len(codes.ALPHABET))
            digits.append(codes.ALPHABET[r])
        return "".join(reversed(digits))

    def _dockets(self, stories: list[Story]) -> dict[int, int]:
        """An entrusted case was on the court's docket before the judge entrusted it."""
        ids = insert(
            FiledCase,
            [
                {
                    "court_id": s.court,
                    "number": self._number("民初"),
                    "title": "知识产权纠纷",
                    "ip_kind_id": s.ip_kind,
                    "filed_by_id": self.user.pk,
                    "filed_at": s.submitted - DAY * 2,
                }
                for s in stories
            ],
        )
        return {id(s): pk for s, pk in zip(stories, ids, strict=True)}

    def _case(self, s: Story, docket: int | None) -> dict:
        return {
            "number": self._number("调"),
            "channel": s.channel,
            "state": s.state,
            "court_id": s.court,
            "org_id": s.org,
            "mediator_id": s.mediator,
            "filed_case_id": docket,
            "title": f"{s.ip_kind} 纠纷",
            "ip_kind_id": s.ip_kind,
            "created_by_id": self.user.pk,
            "created_at": s.submitted,
            "submitted_at": s.submitted,
            "assigned_at": s.assigned,
            "accepted_at": s.accepted,
            "ended_at": s.ended,
            "end_reason": s.end_reason,
        }

    def _filed(self, pairs: list[tuple[int, Story]]) -> None:
        insert(
            FiledCase,
            [
                {
                    "court_id": s.court,
                    "number": self._number("民初"),
                    "title": "知识产权纠纷",
                    "ip_kind_id": s.ip_kind,
                    "origin_id": case,
                    "filed_by_id": self.user.pk,
                    "filed_at": s.filed,
                }
                for case, s in pairs
            ],
        )

    def _agreements(self, settled: list[tuple[int, Story]]) -> dict[int, int]:
        ids = insert(
            Agreement,
            [
                {
                    "case_id": case,
                    "template_version_id": self.version.pk,
                    "state": Agreement.State.SIGNED,
                    "facts": "生成数据",
                    "offline": s.offline_agreement,
                    "created_by_id": self.user.pk,
                    "created_at": s.ended,
                    "effective_at": s.ended,
                    "completed_at": s.ended,
                }
                for case, s in settled
            ],
        )
        return {case: pk for (case, _), pk in zip(settled, ids, strict=True)}

    def _confirmations(self, settled, agreements, rng: random.Random, now: dt.datetime) -> None:
        rows = []
        for case, s in settled:
            if s.channel == Channel.ENTRUSTED or not s.court or rng.random() > 0.3:
                continue
            applied = s.ended + DAY * rng.uniform(1, 10)
            if applied > now:
                continue
            decided: dt.datetime | None = applied + DAY * rng.uniform(3, 20)
            r = rng.random()
            state = ConfirmationState.CONFIRMED if r < 0.88 else ConfirmationState.DISMISSED
            if decided and decided > now:
                state, decided = ConfirmationState.ACCEPTED, None
            rows.append(
                {
                    "agreement_id": agreements[case],
                    "case_id": case,
                    "court_id": s.court,
                    "court_basis": CourtBasis.INVITING,
                    "court_reason": "生成数据",
                    "state": state,
                    "started_by_id": self.user.pk,
                    "created_at": applied,
                    "submitted_at": applied,
                    "accepted_at": applied + HOUR,
                    "decided_at": decided,
                }
            )
        insert(ConfirmationApplication, rows)

    def _documents(self, triples, rng: random.Random, now: dt.datetime) -> None:
        """CPL 100: the mediation document of a settled entrusted case (its PDF is not
        rendered: fabricated history carries the rows, not the files)."""
        dated = [(c, docket, s.ended + DAY * rng.uniform(0, 3)) for c, s, docket in triples]
        dated = [row for row in dated if row[2] < now]
        printed = [self._code() for _ in dated]
        documents = insert(
            Document,
            [
                {
                    "kind": Document.Kind.MEDIATION_DOCUMENT,
                    "title": "民事调解书",
                    "verify_code": code,
                    "sha256": "0" * 64,
                }
                for code in printed
            ],
        )
        insert(
            MediationDocument,
            [
                {
                    "case_id": c,
                    "filed_case_id": docket,
                    "claims": "生成数据",
                    "facts": "生成数据",
                    "result": "生成数据",
                    "judge_id": self.user.pk,
                    "clerk_name": "书记员",
                    "verify_code": code,
                    "document_id": d,
                    "state": MediationDocumentState.EFFECTIVE,
                    "issued_at": at,
                    "effective_at": at,
                }
                for (c, docket, at), d, code in zip(dated, documents, printed, strict=True)
            ],
        )

    def _services(self, settled, by_case: dict[int, list[int]], rng: random.Random) -> None:
        rows = []
        for case, s in settled:
            for party in by_case[case]:
                r = rng.random()
                state, basis = Service.State.EFFECTIVE, str(Service.Basis.ARRIVAL)
                if r > 0.94:
                    state, basis = Service.State.PAPER_SERVED, str(Service.Basis.PAPER)
                elif r > 0.88:
                    state, basis = Service.State.FAILED, ""
                rows.append(
                    {
                        "case_id": case,
                        "party_id": party,
                        "kind": ServiceKind.AGREEMENT,
                        "title": "调解协议书",
                        "created_at": s.ended,
                        "state": state,
                        "effective_at": s.ended if basis else None,
                        "effective_basis": basis,
                    }
                )
        insert(Service, rows)

    def _sessions(self, pairs: list[tuple[int, Story]]) -> None:
        """A session that took place the day before mediation ended."""
        ended = [(case, s.ended) for case, s in pairs if s.ended is not None]
        insert(
            MeetingSession,
            [
                {
                    "case_id": case,
                    "title": "调解会议",
                    "state": SessionState.ENDED,
                    "start": at - DAY,
                    "end": at - DAY + HOUR,
                }
                for case, at in ended
            ],
        )
