"""The stable error codes of delivery: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class DeliveryError(ErrorCode):
    """The stable error codes delivery raises (docs/api.md's table is generated from them)."""

    NO_CONSENT = "delivery.no_consent", "The recipient no longer consents to electronic service."
    NO_DOCUMENT = "delivery.no_document", "Only a registered document can be served."
    NOT_A_PARTY = "delivery.not_a_party", "Documents are served only on parties of this case."
    NOT_EFFECTIVE = (
        "delivery.not_effective",
        "The proof of service is issued once service has taken effect.",
    )
    NOT_FAILED = "delivery.not_failed", "Only a service that could not be made is sent again."
