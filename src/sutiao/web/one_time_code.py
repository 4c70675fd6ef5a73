"""Moved to `sutiao.core.one_time_code`. Kept so that older imports still work."""

from sutiao.core.one_time_code import Show, request_code, sign_with_code

__all__ = ["Show", "request_code", "sign_with_code"]
