"""Files and directories the platform creates for itself: readable by its own user only.

Keys, checkpoints, the SQLite database and stored uploads are 0600, their directories 0700;
`restrict_umask()` (called when settings load) makes that the default for everything else the
process creates, and the helpers below set the modes explicitly, whatever the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def restrict_umask() -> None:
    os.umask(0o077)


def private_dir(path: Path) -> Path:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path.chmod(DIR_MODE)
    return path


def write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write `data` to `path` created 0600 (an existing file is replaced, its mode reset)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
