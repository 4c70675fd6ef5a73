"""A mediator's load: its open cases, stored (`MediatorLoad`, a model of `cases`, re-exported
by `cases.models`) so that ranking thousands of mediators reads one number each instead of
counting their cases (issue 20).

The count moves with the case, in the case's own transaction: every write of a case goes
through `Case.save` or `actions.bulk.step_many`'s `bulk_update`, and both hand the change
(the mediator the case counted toward before, and after) to `moved`. A queryset `update()`
of a case's state or mediator would bypass it: the cases domain has none, and a test that
takes that shortcut recounts. `recount` rebuilds the counts from the cases (the repair
path: `sutiao cases recount-load`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from sutiao.roster.models import Mediator

from .choices import State

OPEN_STATES = [State.SUBMITTED, State.AWAITING_ACCEPTANCE, State.MEDIATING, State.PAUSED]


class MediatorLoad(models.Model):
    """How many open cases (`OPEN_STATES`) have this mediator. A row of its own, not a column
    of the mediator, so that saving a mediator (the roster's edits) never writes back a count
    read before a case moved."""

    mediator = models.OneToOneField(
        Mediator, on_delete=models.CASCADE, primary_key=True, related_name="load"
    )
    open_cases = models.IntegerField(_("open cases"), default=0)

    class Meta:
        verbose_name = _("mediator's load")
        verbose_name_plural = _("mediators' loads")


def counted_toward(mediator_id: int | None, state: str | None) -> int | None:
    """The mediator whose load a case with this mediator and state adds to, if any."""
    return mediator_id if mediator_id and state in OPEN_STATES else None


def moved(changes: Iterable[tuple[int | None, int | None]]) -> None:
    """Cases moved from counting toward `before` to counting toward `after` (either None)."""
    deltas: Counter[int] = Counter()
    for before, after in changes:
        if before != after:
            if before:
                deltas[before] -= 1
            if after:
                deltas[after] += 1
    changed = sorted(m for m, d in deltas.items() if d)
    if not changed:
        return
    table = connection.ops.quote_name(MediatorLoad._meta.db_table)
    with connection.cursor() as cursor:
        for m in changed:  # in id order: two actions cannot deadlock on the same two counts
            # One statement per count: the row made at 0 + delta, or the delta added to it.
            cursor.execute(
                f"INSERT INTO {table} (mediator_id, open_cases) VALUES (%s, %s) "  # noqa: S608 # nosec B608 - the table's name from the model
                f"ON CONFLICT (mediator_id) DO UPDATE "
                f"SET open_cases = {table}.open_cases + excluded.open_cases",
                [m, deltas[m]],
            )


@transaction.atomic
def recount() -> dict[int, tuple[int, int]]:
    """Set every stored count to the cases' recount; returns {mediator id: (stored, true)}
    for those that differed. The stored rows are locked first, so an action that moves a
    case meanwhile waits and adds its change on top of the recount."""
    stored = dict(MediatorLoad.objects.select_for_update().values_list("mediator_id", "open_cases"))
    true = dict(
        Mediator.objects.filter(cases__state__in=OPEN_STATES)
        .annotate(n=Count("cases", filter=Q(cases__state__in=OPEN_STATES)))
        .values_list("pk", "n")
    )
    wrong = {
        m: (stored.get(m, 0), true.get(m, 0))
        for m in stored.keys() | true.keys()
        if stored.get(m, 0) != true.get(m, 0)
    }
    MediatorLoad.objects.bulk_create(
        [MediatorLoad(mediator_id=m, open_cases=n) for m, (_s, n) in wrong.items()],
        update_conflicts=True,
        unique_fields=["mediator"],
        update_fields=["open_cases"],
    )
    return wrong


class LoadTracking(models.Model):
    """The base of `Case` (abstract): the mediator's stored load moves with every save of the
    case's state or mediator."""

    _stored: tuple[int | None, str | None]  # (mediator id, state) in the database
    mediator_id: int | None
    state: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        written = {"state", "mediator", "mediator_id"} & set(
            ["state", "mediator"] if fields is None else fields
        )
        if not written:
            super().save(*args, **kwargs)  # neither column written: the count stands
            return
        before: tuple[int | None, str | None] = (None, None)  # a new row counts for no one
        if "_stored" in self.__dict__:
            before = self._stored
        elif not self._state.adding:
            row = (
                type(self)
                ._default_manager.filter(pk=self.pk)
                .values_list("mediator_id", "state")  # type: ignore[misc]  # Case's columns
                .first()
            )
            before = row or before
        super().save(*args, **kwargs)
        self._stored = (
            self.mediator_id if written - {"state"} else before[0],
            self.state if "state" in written else before[1],
        )
        moved([(counted_toward(*before), counted_toward(*self._stored))])

    @classmethod
    def from_db(cls, db, field_names, values):
        case = super().from_db(db, field_names, values)
        case._note_stored()
        return case

    def _note_stored(self) -> None:
        held = self.__dict__
        if "mediator_id" in held and "state" in held:
            self._stored = (held["mediator_id"], held["state"])
        else:
            held.pop("_stored", None)  # deferred: ask the database when it matters

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._note_stored()
