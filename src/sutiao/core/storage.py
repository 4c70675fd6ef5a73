"""File storage that keeps every stored file encrypted on the disk (evidence, trade secrets,
signed documents, proofs of service): core.crypto's envelope, a data key per file wrapped by
the master key. Reading through the storage (`field.file.open("rb")`) gives the clear content;
a file stored before encryption reads as it is (`sutiao keys rotate` encrypts it).

Files are read into memory whole (the upload limit, SUTIAO_MAX_FILE_MB, bounds them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from sutiao.core import crypto
from sutiao.core.files import write_private


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        sealed = ContentFile(crypto.encrypt_bytes(content.read()))
        return super()._save(name, sealed)  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> Any:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("encrypted files are written through save()")
        with open(self.path(name), "rb") as fh:
            data = crypto.decrypt_bytes(fh.read())
        opened = ContentFile(data, name=name)
        opened.mode = mode
        return opened

    def size(self, name: str) -> int:
        with open(self.path(name), "rb") as fh:
            head = fh.read(len(crypto.FILE_MAGIC))
        if head != crypto.FILE_MAGIC:
            return super().size(name)
        return len(self._open(name).read())

    def rewrap_all(self) -> int:
        """Every stored file under the current master key (for `sutiao keys rotate`)."""
        root = Path(self.location)
        changed = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
            new = crypto.rewrap_bytes(path.read_bytes())
            if new is not None:
                tmp = path.with_name(path.name + ".rotating")
                write_private(tmp, new)
                tmp.replace(path)
                changed += 1
        return changed
