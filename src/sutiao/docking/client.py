"""The outbound half of the Sutiao-to-Sutiao adapter: this instance calls another instance's
/api/docking/v1 as one of its partners (client credentials, an Idempotency-Key per request,
retried on a network error or a 5xx with the same key, so the far side acts once)."""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Remote:
    base_url: str  # e.g. https://court.example/api/docking/v1
    client_id: str
    client_secret: str
    timeout: float = 10
    _token: str = ""

    def _call(self, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> Answer:
        url = self.base_url.rstrip("/") + path
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"not an http(s) URL: {url[:100]}")
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - checked
        for k, v in headers.items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310 (docs/security-findings.md)
                raw, status, got = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as exc:
            raw, status, got = exc.read(), exc.code, dict(exc.headers)
        return Answer(int(status), json.loads(raw) if raw else None, got)

    def token(self) -> str:
        if not self._token:
            basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
            form = urllib.parse.urlencode({"grant_type": "client_credentials"}).encode()
            answer = self._call(
                "POST",
                "/oauth/token",
                form,
                {
                    "Authorization": f"Basic {basic}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            if answer.status != 200:
                raise PermissionError(f"no token from {self.base_url}: {answer.status}")
            self._token = answer.body["access_token"]
        return self._token

    def get(self, path: str) -> Answer:
        return self._call("GET", path, None, {"Authorization": f"Bearer {self.token()}"})

    def post(self, path: str, body: dict[str, Any], *, key: str, tries: int = 3) -> Answer:
        """POST under `key`; a network error or a 5xx is retried with the same key."""
        data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
        headers = {
            "Authorization": f"Bearer {self.token()}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        for attempt in range(1, tries + 1):
            try:
                answer = self._call("POST", path, data, headers)
            except OSError:
                if attempt == tries:
                    raise
                time.sleep(0.5 * attempt)
                continue
            if answer.status < 500 and answer.status != 409 or attempt == tries:
                return answer
            time.sleep(0.5 * attempt)
        raise AssertionError("unreachable")
