"""The platform's RFC 3161 time-stamping authority over HTTP (`/documents/tsa/`): a request
gets a token that verifies under the platform root; a bad request gets a rejection, no token."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from asn1crypto import algos, tsp
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

from sutiao.documents import revocation, tsa

pytestmark = pytest.mark.django_db
URL = "/documents/tsa/"
QUERY = "application/timestamp-query"


def _request(digest: bytes, *, algorithm: str = "sha256", nonce: int = 42) -> bytes:
    return tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm}),
                "hashed_message": digest,
            },
            "nonce": nonce,
            "cert_req": True,
        }
    ).dump()


def _answer(client, body: bytes) -> tsp.TimeStampResp:
    response = client.post(URL, body, content_type=QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/timestamp-reply"
    return tsp.TimeStampResp.load(response.content)


def test_a_request_gets_a_token_that_verifies_under_the_platform_root(client):
    digest = hashlib.sha256(b"an agreement").digest()
    answer = _answer(client, _request(digest, nonce=987654321))
    assert answer["status"]["status"].native == "granted"
    token = answer["time_stamp_token"]["content"]
    info = token["encap_content_info"]["content"].parsed
    assert info["nonce"].native == 987654321
    assert info["policy"].native == tsa.POLICY_OID
    assert info["message_imprint"]["hashed_message"].native == digest
    context = ValidationContext(trust_roots=revocation.trust_roots(), allow_fetching=False)
    status = asyncio.run(
        validate_tst_signed_data(token, context, expected_tst_imprint=lambda _alg: digest)
    )
    assert status["intact"] and status["valid"], status
    assert status["trust_problem_indic"] is None and status["validation_path"] is not None
    # a digest the token was not made for does not verify
    other = asyncio.run(
        validate_tst_signed_data(token, context, expected_tst_imprint=lambda _alg: b"\0" * 32)
    )
    assert not other["intact"]


def test_only_a_posted_timestamp_query_is_answered(client):
    assert client.get(URL).status_code == 405
    response = client.post(URL, b"x", content_type="application/octet-stream")
    assert response.status_code == 415
    assert client.post(URL, b"0" * 5000, content_type=QUERY).status_code == 413
