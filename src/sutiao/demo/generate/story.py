"""One generated case's story: its channel, IP kind, dates and how it ended. Pure: it draws
from the seeded random generator only, so a seed gives the same cases."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sutiao.cases.choices import Channel, EndReason, State

from .institutions import City

# Shares observed in published IP mediation figures: trademark and copyright lead.
IP_KINDS = {
    "trademark": 34,
    "copyright": 31,
    "patent": 18,
    "unfair_competition": 8,
    "trade_secret": 4,  # nosec B105 - a share of cases, not a password
    "technology_contract": 3,
    "other": 2,
}
CHANNELS = {Channel.DELEGATED: 46, Channel.ENTRUSTED: 24, Channel.DIRECT: 20, Channel.OFFLINE: 10}
SETTLE_RATE = {"patent": 0.42, "trade_secret": 0.35, "trademark": 0.62, "copyright": 0.66}  # nosec B105 - settlement rates, not passwords
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass
class Story:
    channel: str
    ip_kind: str
    court: int | None
    org: int
    mediator: int
    state: str
    submitted: dt.datetime
    assigned: dt.datetime | None = None
    accepted: dt.datetime | None = None
    ended: dt.datetime | None = None
    end_reason: int | None = None
    filed: dt.datetime | None = None  # failed, then filed as a lawsuit
    offline_agreement: bool = False
    video: bool = False


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _delay(rng: random.Random) -> dt.timedelta:
    """Most steps within 3 working days, some late."""
    return HOUR * (rng.uniform(1, 60) if rng.random() < 0.86 else rng.uniform(60, 240))


def tell(rng: random.Random, cities: list[City], start: dt.datetime, now: dt.datetime) -> Story:
    city = rng.choice(cities)
    org = rng.choice(city.orgs)
    channel = _pick(rng, CHANNELS)
    story = Story(
        channel=channel,
        ip_kind=_pick(rng, IP_KINDS),
        court=None if channel == Channel.DIRECT else city.court,
        org=org,
        mediator=rng.choice(city.mediators[org]),
        state=State.SUBMITTED,
        submitted=start + (now - start - DAY) * rng.random(),
    )
    if channel == Channel.OFFLINE:  # agreed offline, brought to the platform to sign
        story.assigned = story.accepted = story.submitted
        story.offline_agreement = True
        return _ended(story, State.SETTLED, story.submitted + DAY * rng.uniform(1, 5), now)
    story.assigned = story.submitted + _delay(rng)
    if story.assigned > now:
        story.assigned = None
        return story
    story.state = State.AWAITING_ACCEPTANCE
    if rng.random() < 0.06:  # OMR 29: the organisation or mediator declines
        return _ended(story, State.DECLINED, story.assigned + _delay(rng), now)
    story.accepted = story.assigned + _delay(rng)
    if story.accepted > now:
        story.accepted = None
        return story
    story.state = State.MEDIATING
    story.video = rng.random() < 0.7
    ended = story.accepted + DAY * min(rng.gammavariate(2.0, 9.0) + 1, 90)
    if rng.random() < 0.04:
        return _ended(story, State.WITHDRAWN, ended, now)
    if rng.random() < SETTLE_RATE.get(story.ip_kind, 0.5):
        return _ended(story, State.SETTLED, ended, now)
    if channel == Channel.ENTRUSTED:
        return _ended(story, State.TRIAL_RESUMED, ended, now)
    story = _ended(story, State.FAILED, ended, now)
    filed = ended + DAY * rng.uniform(1, 5)
    if story.state == State.FAILED and channel == Channel.DELEGATED and filed < now:
        story.state, story.filed = State.FILED, filed
    return story


def _ended(story: Story, state: str, at: dt.datetime, now: dt.datetime) -> Story:
    if at > now:  # still going on today
        story.video = False
        return story
    story.state, story.ended = state, at
    reasons: dict[str, int] = {
        State.SETTLED: EndReason.AGREEMENT,
        State.WITHDRAWN: EndReason.SETTLED_THEMSELVES,
        State.FAILED: EndReason.POSITIONS_TOO_FAR,
        State.FILED: EndReason.POSITIONS_TOO_FAR,
        State.TRIAL_RESUMED: EndReason.REFUSES_TO_CONTINUE,
    }
    story.end_reason = reasons.get(state)
    return story
