"""The stable error codes of accounts: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class AccountError(ErrorCode):
    """The stable error codes accounts raises (docs/api.md's table is generated from them)."""

    IDENTITY_NOT_VERIFIED = (
        "account.identity_not_verified",
        "The step needs a verified identity (实名认证, OLR 7): verify it on the profile first.",
    )
    IDENTITY_REFUSED = (
        "account.identity_refused",
        "The identity-verification service did not confirm the name and number given.",
    )
    VERIFICATION_CODE_NONE = (
        "account.verification_code_none",
        "No verification code is pending, or it expired: ask for a new one.",
    )
    VERIFICATION_CODE_WRONG = (
        "account.verification_code_wrong",
        "The verification code is wrong (after 5 wrong codes, ask for a new one).",
    )
    IDENTITY_TAKEN = (
        "account.identity_taken",
        "Another account is verified with this identity number.",
    )
    REGISTRATION_THROTTLED = (
        "account.registration_throttled",
        "Too many registrations from this address or for this phone; try again in an hour.",
    )
    REGISTRATION_CONFLICT = (
        "account.registration_conflict",
        "An account with these particulars was opened meanwhile: log in to it instead.",
    )
    PHONE_TAKEN = (
        "account.phone_taken",
        "Another account has this phone number: one account per phone.",
    )
    PHONE_SAME = (
        "account.phone_same",
        "The new phone number is the account's phone already.",
    )
    PHONE_CHANGE_THROTTLED = (
        "account.phone_change_throttled",
        "Too many codes asked for this account or this phone; try again in an hour.",
    )
    PHONE_NEEDS_CODE = (
        "account.phone_needs_code",
        "A new phone takes effect only with the code sent to it: use the phone change.",
    )
