"""The stable error codes of delivery: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class DeliveryError(ErrorCode):
    """The stable error codes delivery raises (docs/api.md's table is generated from them)."""

    SERVICE_INVALID_TRANSITION = (
        "service.invalid_transition",
        "The lifecycle table does not allow this step in the service's state, or one of its "
        "preconditions fails (`details.precondition`).",
    )
    SERVICE_NOT_YOUR_STEP = (
        "service.not_your_step",
        "None of your roles towards the service may take this step.",
    )
    INVALID_TRANSITION = (
        "delivery.invalid_transition",
        "The lifecycle table does not allow this step in the delivery's state (worker steps).",
    )
    NOT_YOUR_STEP = (
        "delivery.not_your_step",
        "None of your roles may take this step of a delivery.",
    )
    NO_CONSENT = "delivery.no_consent", "The recipient no longer consents to electronic service."
    NO_DOCUMENT = "delivery.no_document", "Only a registered document can be served."
    NOT_A_PARTY = "delivery.not_a_party", "Documents are served only on parties of this case."
    NOT_EFFECTIVE = (
        "delivery.not_effective",
        "The proof of service is issued once service has taken effect.",
    )
    NOT_FAILED = "delivery.not_failed", "Only a service that could not be made is sent again."
