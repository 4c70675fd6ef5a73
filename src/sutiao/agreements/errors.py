"""The stable error codes of agreements: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class AgreementError(ErrorCode):
    """The stable error codes agreements raises (docs/api.md's table is generated from them)."""

    INVALID_TRANSITION = (
        "agreement.invalid_transition",
        "The lifecycle table does not allow this step in the agreement's state, or one of "
        "its preconditions fails.",
    )
    NOT_OFFLINE = (
        "agreement.not_offline",
        "Only an agreement reached offline is confirmed by the other party.",
    )
    NOT_YOUR_STEP = (
        "agreement.not_your_step",
        "None of your roles in the agreement's case may take this step.",
    )
    CANNOT_REFUSE = (
        "agreement.cannot_refuse",
        "Only a party that has not signed can refuse, while the agreement is being signed.",
    )
    CASE_NOT_MEDIATING = (
        "agreement.case_not_mediating",
        "An agreement is drafted and signed only while the case is being mediated.",
    )
    EXISTS = "agreement.exists", "The case already has an agreement being drafted or signed."
    INCOMPLETE = (
        "agreement.incomplete",
        "The agreement lacks terms it needs before it can be opened for signing.",
    )
    NOTHING_TO_SIGN = (
        "agreement.nothing_to_sign",
        "There is no signature of yours due on this agreement now.",
    )
    PARTIES_NOT_CONSENTED = (
        "agreement.parties_not_consented",
        "Every party must consent to online mediation before an agreement is signed (OMR 4, 8).",
    )
    PARTY_WITHOUT_ACCOUNT = (
        "agreement.party_without_account",
        "Every party needs an account on the platform to sign online.",
    )
    SIGNED_ALREADY = (
        "agreement.signed_already",
        "Once someone has signed, the agreement cannot be changed.",
    )
    OTP_LOCKED = "otp.locked", "Too many wrong one-time codes; ask for a new code."
    OTP_NONE = "otp.none", "No valid one-time code: ask for one first (valid 10 minutes)."
    OTP_TOO_MANY = "otp.too_many", "Too many one-time codes asked for; try again in an hour."
    OTP_TOO_SOON = (
        "otp.too_soon",
        "A one-time code was just sent; wait half a minute before asking again.",
    )
    OTP_WRONG = "otp.wrong", "The one-time code is wrong."
