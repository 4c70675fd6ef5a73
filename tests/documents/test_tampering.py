"""Any change after signing is reported: a flipped byte (pdfsig: digest mismatch) and an
unsigned incremental update appended after the last signature (pdfsig still says "Signature
is Valid"; our verdict, from pyHanko's modification analysis and coverage, says altered)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from sutiao.documents import verify

from .conftest import pdfsig

pytestmark = pytest.mark.django_db


def flip(pdf: bytes, at: int) -> bytes:
    data = bytearray(pdf)
    data[at] ^= 0x01
    return bytes(data)


def draw_over_first_page(pdf: bytes) -> bytes:
    """What a forger would do: an unsigned update that draws over the signed page."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    stream = generic.StreamObject(stream_data=b"q 1 1 1 rg 60 600 300 60 re f Q")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def add_annotation(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    page_ref = writer.root["/Pages"].raw_get("/Kids")[0]
    page = page_ref.get_object()
    annot = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (60, 600, 300, 660)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("赔偿金额改为 0 元"),
            generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
        }
    )
    ref = writer.add_object(annot)
    annots = page.get("/Annots")
    if annots is None:
        page[generic.NameObject("/Annots")] = generic.ArrayObject([ref])
    else:
        annots.get_object().append(ref)
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_signed_agreement_is_unaltered(agreement):
    verdict = verify.verify_pdf(agreement.signed)
    assert verdict.unaltered and verdict.status == verify.Status.VALID
    # the last revision is a document timestamp that covers the whole file (B-LTA)
    assert len(verdict.document_timestamps) == 3
    assert "changed_after_last_signature" not in verdict.problems
    assert [s.modification_level for s in verdict.signatures] == [
        "form_filling",
        "form_filling",
        "lta_updates",  # the validation data and the document timestamp (PAdES B-LTA)
    ]


@pytest.mark.rule("ESL-13")
def test_one_flipped_byte_is_altered_and_pdfsig_reports_a_digest_mismatch(
    agreement, nss_db, tmp_path
):
    at = agreement.signed.index(b"WeasyPrint")  # inside the signed bytes of every signature
    tampered = flip(agreement.signed, at)
    verdict = verify.verify_pdf(tampered)
    assert not verdict.unaltered
    assert verdict.status == verify.Status.ALTERED
    assert all(not s.intact for s in verdict.signatures)
    assert "digest_mismatch" in verdict.signatures[0].problems
    sigs = [s for s in pdfsig(tampered, nss_db, tmp_path) if not s.timestamp]
    assert len(sigs) == 3 and all(s.validation == "Digest Mismatch." for s in sigs), sigs


@pytest.mark.rule("ESL-13")
@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.999])
def test_a_flipped_byte_anywhere_is_never_reported_unaltered(agreement, fraction):
    tampered = flip(agreement.signed, int(len(agreement.signed) * fraction))
    verdict = verify.verify_pdf(tampered)
    assert not verdict.unaltered
    assert verdict.status in {
        verify.Status.ALTERED,
        verify.Status.UNREADABLE,
        verify.Status.UNSIGNED,
    }


@pytest.mark.rule("ESL-13")
def test_a_flipped_byte_in_the_last_timestamp_or_its_padding_is_altered(agreement):
    # The bytes no digest covers: the last document timestamp's /Contents (integrity.py).
    reader = PdfFileReader(BytesIO(agreement.signed))
    last = reader.embedded_signatures[-1]
    start, length = last.byte_range[1], last.byte_range[2] - last.byte_range[1]
    hex_digits = len(last.pkcs7_content.rstrip(b"\x00")) * 2
    bag = agreement.signed.lower().index(last.signed_data["certificates"][-1].dump().hex().encode())
    for at in (
        start + 1 + hex_digits // 2,  # the TSTInfo / signed attributes
        bag + 200,  # a certificate in the token's unsigned certificate bag
        start + 1 + hex_digits + 10,  # the zero padding after the DER
        start + length - 3,  # the last padding digit
    ):
        digit = agreement.signed[at : at + 1]
        assert digit in b"0123456789abcdefABCDEF", at  # still a hex digit after the change
        changed = (
            agreement.signed[:at] + (b"1" if digit != b"1" else b"2") + agreement.signed[at + 1 :]
        )
        verdict = verify.verify_pdf(changed)
        assert not verdict.unaltered, at
        assert verdict.status == verify.Status.ALTERED
        assert "timestamp_broken" in verdict.problems


@pytest.mark.rule("ESL-13")
def test_an_unsigned_update_drawing_over_the_page_is_altered_though_pdfsig_says_valid(
    agreement, nss_db, tmp_path
):
    tampered = draw_over_first_page(agreement.signed)
    assert tampered.startswith(agreement.signed)
    verdict = verify.verify_pdf(tampered)
    assert not verdict.unaltered
    assert verdict.status == verify.Status.ALTERED
    assert "changed_after_last_signature" in verdict.problems
    assert verdict.signatures[-1].coverage == "entire_revision"
    assert verdict.signatures[-1].modification_level == "other"
    # Each signature is still intact over what it signed: the point is what came after.
    assert all(s.intact and s.valid and s.trusted for s in verdict.signatures)
    sigs = [s for s in pdfsig(tampered, nss_db, tmp_path) if not s.timestamp]
    assert [s.validation for s in sigs] == ["Signature is Valid."] * 3
    assert not any(s.total for s in sigs)


@pytest.mark.rule("ESL-13")
def test_an_unsigned_annotation_appended_after_signing_is_altered(agreement):
    verdict = verify.verify_pdf(add_annotation(agreement.signed))
    assert not verdict.unaltered
    assert verdict.status == verify.Status.ALTERED
    assert verdict.signatures[-1].modification_level in {"annotations", "other"}


def test_an_unsigned_pdf_and_a_non_pdf(agreement):
    draft = verify.verify_pdf(agreement.draft)
    assert draft.status == verify.Status.UNSIGNED and not draft.unaltered
    junk = verify.verify_pdf(b"GIF89a not a pdf")
    assert junk.status == verify.Status.UNREADABLE and not junk.unaltered
    truncated = verify.verify_pdf(agreement.signed[: len(agreement.signed) // 2])
    assert not truncated.unaltered


def test_a_signature_from_a_foreign_ca_is_intact_but_untrusted(agreement):
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(65537, 2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "别处的 CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=9))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(65537, 2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "冒名者")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=9))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )

    def asn1(c):
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    signer = signers.SimpleSigner(
        signing_cert=asn1(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([asn1(ca)]),
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(agreement.draft)),
        signers.PdfSignatureMetadata(
            field_name="applicant", subfilter=fields.SigSeedSubFilter.PADES
        ),
        signer=signer,
    )
    verdict = verify.verify_pdf(out.getvalue())
    assert verdict.unaltered
    assert verdict.status == verify.Status.UNTRUSTED
    assert verdict.signatures[0].signer_name == "冒名者"
    assert not verdict.signatures[0].trusted
