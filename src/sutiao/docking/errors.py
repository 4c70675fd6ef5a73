"""The stable error codes of docking."""

from sutiao.core.errors import ErrorCode


class DockingError(ErrorCode):
    """The stable error codes the docking API (/api/docking/v1) raises."""

    WEBHOOK_DELIVERY_INVALID_TRANSITION = (
        "webhook_delivery.invalid_transition",
        "The lifecycle table does not allow this step in the webhook delivery's state (worker "
        "steps).",
    )
    WEBHOOK_DELIVERY_NOT_YOUR_STEP = (
        "webhook_delivery.not_your_step",
        "Only the platform's worker takes the steps of a webhook delivery.",
    )
    SCOPE_MISSING = (
        "docking.scope_missing",
        "The partner's access token lacks the scope this endpoint needs.",
    )
    IDEMPOTENCY_KEY_MISSING = (
        "docking.idempotency_key_missing",
        "Every POST needs an `Idempotency-Key` header (1 to 255 characters).",
    )
    IDEMPOTENCY_KEY_REUSED = (
        "docking.idempotency_key_reused",
        "This `Idempotency-Key` was used with another request body.",
    )
    REQUEST_IN_FLIGHT = (
        "docking.request_in_flight",
        "The first request with this `Idempotency-Key` is still being processed; retry later.",
    )
    BAD_CURSOR = ("docking.bad_cursor", "The feed cursor `after` is not one the feed gave out.")
    BAD_SIGNATURE = (
        "docking.bad_signature",
        "A webhook's signature does not match, or its timestamp is outside ±5 minutes.",
    )
    NOT_A_CLOUDEVENT = (
        "docking.not_a_cloudevent",
        "A peer's webhook or feed entry is not a CloudEvent of the docking API.",
    )
