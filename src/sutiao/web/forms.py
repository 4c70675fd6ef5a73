"""Moved to `sutiao.core.forms` (the pages of every domain use it; `web` sits above the
domains). Kept so that older imports still work: import from `sutiao.core.forms`."""

from sutiao.core.forms import apply_errors, run_action

__all__ = ["apply_errors", "run_action"]
