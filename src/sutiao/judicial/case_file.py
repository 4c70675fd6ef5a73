"""The electronic case file: every registered document of a case (agreements, rulings,
mediation documents, proofs of service — whatever was registered under the case's numbers)
and the PDFs uploaded to it, exported with a manifest of SHA-256 hashes."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from sutiao.cases.models import Case, CaseFile
from sutiao.documents.models import Document

from .models import ConfirmationApplication


@dataclass
class Exported:
    path: Path
    manifest: dict


def case_numbers(case: Case) -> list[str]:
    """The case's own number, its filed case's, and its confirmation applications'."""
    numbers = [case.number]
    if case.filed_case_id:
        numbers.append(case.filed_case.number)
    filed_as = getattr(case, "filed_as", None)
    if filed_as is not None:
        numbers.append(filed_as.number)
    numbers += [
        n
        for n in ConfirmationApplication.objects.filter(case=case)
        .exclude(number="")
        .values_list("number", flat=True)
    ]
    return [n for n in dict.fromkeys(numbers) if n]


def _safe(text: str) -> str:
    return re.sub(r"[^\w\-.]+", "_", text)[:60]


def _copy(stored: Any, folder: Path, name: str, about: dict, *, registered: str) -> dict:
    """Write one stored PDF into the folder as `name`; its manifest entry: what it is
    (`about`), then the size and hash of what was written next to the hash registered."""
    with stored.open("rb") as fh:
        data = fh.read()
    (folder / name).write_bytes(data)
    return {
        "file": name,
        **about,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "registered_sha256": registered,
    }


def export(case: Case, folder: Path) -> Exported:
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    numbers = case_numbers(case)
    documents = Document.objects.filter(case_number__in=numbers).order_by("created_at", "id")
    n = 0
    for doc in documents:
        n += 1
        name = f"{n:02d}-{doc.kind}-{doc.verify_code}-v{doc.version}.pdf"
        about = {
            "source": "document",
            "kind": doc.kind,
            "title": doc.title,
            "case_number": doc.case_number,
            "verify_code": doc.verify_code,
            "version": doc.version,
            "signatures": doc.signature_count,
        }
        entries.append(_copy(doc.file, folder, name, about, registered=doc.sha256))
    cases = [case] + ([case.filed_as.origin] if getattr(case, "filed_as", None) else [])
    files = CaseFile.objects.filter(case__in=cases, content_type="application/pdf").order_by(
        "uploaded_at", "id"
    )
    for f in files:
        n += 1
        name = f"{n:02d}-{f.kind}-{_safe(Path(f.name).stem)}.pdf"
        about = {"source": "upload", "kind": f.kind, "title": f.name, "case_number": case.number}
        entries.append(_copy(f.file, folder, name, about, registered=f.sha256))
    manifest = {
        "case_number": case.number,
        "case_numbers": numbers,
        "title": case.title,
        "exported_at": timezone.now().isoformat(),
        "algorithm": "sha256",
        "files": entries,
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return Exported(path, manifest)
