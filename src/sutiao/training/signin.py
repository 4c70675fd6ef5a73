"""Reading an on-site sign-in list (XLSX): one row per person who attended.

Columns, found by their header (Chinese or English): 姓名 / Name, 身份证号 / Identity number,
and optionally 学时 / Hours (default: the course's hours). Each row names a mediator, or an
applicant in pre-joining training, by identity number; the name must match the record."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sutiao.accounts.identity import validate_resident_id
from sutiao.core import crypto
from sutiao.core.errors import Invalid
from sutiao.core.lazy import lazy
from sutiao.roster.models import Mediator

from .errors import TrainingError
from .models import Application, ApplicationState, Course

if TYPE_CHECKING:
    import openpyxl
else:  # loaded on first use (sutiao.core.lazy): openpyxl and numpy are ~40 MB
    openpyxl = lazy("openpyxl")


HEADERS = {
    "name": {"姓名", "name"},
    "id_number": {"身份证号", "身份证号码", "identity number", "id number"},
    "hours": {"学时", "hours"},
}
MAX_ROWS = 5000

# A row's errors are stored as these codes and shown in the reader's language.
REASONS = {
    "no_name": gettext_lazy("The name is missing."),
    "bad_id_number": gettext_lazy("The identity number is missing or not valid."),
    "twice": gettext_lazy("This person is on the list twice."),
    "unknown": gettext_lazy("No mediator or applicant in training has this identity number."),
    "name_differs": gettext_lazy("The name does not match the record of this identity number."),
    "hours_not_a_number": gettext_lazy("The hours are not a number."),
    "hours_out_of_range": gettext_lazy("The hours must be more than 0 and at most the course's."),
}


@dataclass(frozen=True)
class Row:
    line: int
    who: dict[str, Any]  # {"mediator": m} or {"application": a}
    hours: Decimal


def _unreadable(message: str) -> Invalid:
    return Invalid(message, code=TrainingError.BAD_SIGN_IN, fields={"file": [message]})


def _sheet_rows(content: bytes) -> list[tuple]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _unreadable(_("This is not an XLSX file.")) from exc
    rows = list(book.active.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    book.close()
    return rows


def _columns(header: tuple) -> dict[str, int]:
    found = {}
    for i, cell in enumerate(header):
        text = str(cell or "").strip().lower()
        for key, names in HEADERS.items():
            if text in names:
                found[key] = i
    if "name" not in found or "id_number" not in found:
        raise _unreadable(_("The first row must name the columns 姓名 and 身份证号."))
    return found


def read(content: bytes, course: Course) -> tuple[list[Row], list[dict[str, Any]]]:
    """The good rows, and the errors of the bad ones ({"line", "name", "reasons"}: reasons
    are codes of REASONS; never an identity number)."""
    rows = _sheet_rows(content)
    if not rows:
        raise _unreadable(_("The sign-in list is empty."))
    cols = _columns(rows[0])
    people = _people(rows[1:], cols)
    good: list[Row] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, raw in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in raw):
            continue
        name = str(_cell(raw, cols, "name")).strip()
        reasons: list[str] = []
        who = _who(raw, cols, name, people, seen, reasons)
        hours = _row_hours(_cell(raw, cols, "hours"), course, reasons)
        if reasons:
            errors.append({"line": line, "name": name[:50], "reasons": reasons})
        else:
            good.append(Row(line, who, hours))  # type: ignore[arg-type]
    return good, errors


def _cell(raw: tuple, cols: dict[str, int], key: str) -> Any:
    i = cols.get(key)
    return raw[i] if i is not None and i < len(raw) and raw[i] is not None else ""


def _hash(value: Any) -> str | None:
    try:
        return crypto.lookup_hash(validate_resident_id(str(value).strip()))
    except ValidationError:
        return None


def _people(rows: list[tuple], cols: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Who the list's identity numbers name, in two queries: mediators first, then
    applicants in pre-joining training."""
    hashes = {h for raw in rows if (h := _hash(_cell(raw, cols, "id_number")))}
    found: dict[str, dict[str, Any]] = {}
    for a in Application.objects.filter(id_number_hash__in=hashes, state=ApplicationState.TRAINING):
        found[a.id_number_hash] = {"application": a}
    for m in Mediator.objects.filter(id_number_hash__in=hashes).exclude(
        status=Mediator.Status.REMOVED
    ):
        found[m.id_number_hash] = {"mediator": m}
    return found


def _who(
    raw: tuple,
    cols: dict[str, int],
    name: str,
    people: dict[str, dict[str, Any]],
    seen: set[str],
    reasons: list[str],
) -> dict[str, Any] | None:
    if not name:
        reasons.append("no_name")
    number = _cell(raw, cols, "id_number")
    digest = _hash(number)
    if digest is None:
        reasons.append("bad_id_number")
        return None
    if digest in seen:
        reasons.append("twice")
        return None
    seen.add(digest)
    who = people.get(digest)
    if who is None:
        reasons.append("unknown")
        return None
    person = next(iter(who.values()))
    if name and person.name != name:
        reasons.append("name_differs")
    return who


def _row_hours(value: Any, course: Course, reasons: list[str]) -> Decimal:
    if value in ("", None):
        return course.hours
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        reasons.append("hours_not_a_number")
        return Decimal("0")
    if hours <= 0 or hours > course.hours:
        reasons.append("hours_out_of_range")
    return hours
