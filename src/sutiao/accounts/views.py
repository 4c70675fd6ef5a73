from __future__ import annotations

import base64
from functools import wraps
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from sutiao.audit import security
from sutiao.core.errors import Invalid
from sutiao.core.forms import apply_errors, form_page, run_action

from . import actions, lockout, phone_change, registration
from .devices import AuthenticatorDevice
from .forms import (
    IdentityForm,
    LoginForm,
    PasswordChangeForm,
    PhoneChangeForm,
    ProfileForm,
    RegisterForm,
    TokenForm,
    UnlockForm,
    VerificationCodeForm,
)
from .identity import mask_phone
from .throttle import client_address

# Why the log-in page is shown again (?ended=…): a staff session's limits, or the owner's
# "log out everywhere".
ENDED = {
    "idle": gettext_lazy("You were logged out after 30 minutes without activity."),
    "absolute": gettext_lazy("Your session ended: staff log in again every 12 hours."),
    "everywhere": gettext_lazy("Every session and API token of your account has ended."),
}


def second_factor_required(view):
    """The pages under /accounts/ that a password alone must not reach: whoever needs a second
    factor passes it first (a stolen password must not change the phone the unlock codes go
    to, the password, or end the owner's sessions)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.needs_second_factor and not user.is_verified():
            target = reverse("accounts:second_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return guarded


class LoginView(auth_views.LoginView):
    """The password step. Five failures for a user name from one address lock that pair
    (accounts.lockout); a name without an account answers exactly as one with an account."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if lockout.is_locked(username, client_address(request)):
            return locked_out(request, username=username)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        # The failure was counted by authenticate (accounts.backends); this one may have locked.
        username = self.request.POST.get("username", "")
        if lockout.is_locked(username, client_address(self.request)):
            return locked_out(self.request, username=username)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ended"] = ENDED.get(self.request.GET.get("ended", ""))
        return context


def locked_out(request, username: str = ""):
    form = UnlockForm(initial={"username": username})
    return render(request, "accounts/locked_out.html", {"form": form, "asked": False}, status=403)


def unlock(request):
    """The owner of a locked account asks for a code (sent to the phone or e-mail it
    registered), then enters it: the lock of the name from this address ends. The answers do
    not say whether the name has an account."""
    form = UnlockForm(request.POST or None, initial={"username": request.GET.get("username", "")})
    asked = False
    if request.method == "POST" and form.is_valid():
        username, code = form.cleaned_data["username"], form.cleaned_data["code"]
        address = client_address(request)
        if not code:
            lockout.send_unlock_code(username, address)
            asked = True
        elif lockout.unlock(username, address, code):
            messages.success(request, _("The account is unlocked. Log in again."))
            return redirect("accounts:login")
        else:
            asked = True
            form.add_error("code", _("The code is wrong or has expired. Ask for a new code."))
    return render(request, "accounts/locked_out.html", {"form": form, "asked": asked})


@login_required
@second_factor_required
def password_change(request):
    """The current password, the new one twice. Wrong current passwords count as failed
    log-ins (a borrowed session cannot guess on); the other sessions end, this one stays."""
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and lockout.is_locked(user.username, client_address(request)):
        logout(request)
        return locked_out(request, username=user.username)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_password(
                actor=user, current=data["current"], new=data["new"], again=data["again"]
            )
        except Invalid as exc:
            wrong_current = "current" in exc.details.get("fields", {})
            if wrong_current and lockout.failed(user.username, client_address(request)):
                logout(request)
                return locked_out(request, username=user.username)
            apply_errors(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed. Your other sessions ended."))
            return redirect("accounts:profile")
    return render(request, "accounts/password.html", {"form": form})


@require_POST
@login_required
@second_factor_required
def logout_everywhere(request):
    """Every session (every browser) and every API token of the account end at once."""
    actions.end_all_sessions(actor=request.user, user=request.user)
    logout(request)
    return redirect(f"{reverse('accounts:login')}?ended=everywhere")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def second_factor(request):
    """Verify a TOTP code, or enrol an authenticator app first when the user has none."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = AuthenticatorDevice.objects.filter(
            user=user, confirmed=False
        ).first() or actions.start_totp_enrolment(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        ok = (
            actions.confirm_totp(user=user, device=device, token=token)
            if enrolling
            else device.verify_token(token.strip())
        )
        if ok:
            otp_login(request, device)
            if enrolling:
                messages.success(request, _("Your authenticator app is set up."))
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        # segno writes the SVG itself from the otpauth URL: no user input reaches it.
        svg = segno.make(device.config_url, error="m").svg_inline(scale=5, omitsize=False)
        context["qr_svg"] = mark_safe(svg)  # noqa: S308 # nosec B308 B703 - docs/security-findings.md
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/second_factor.html", context)


@login_required
@second_factor_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)

    def save(_d):
        try:
            return actions.update_profile(
                actor=user, user=user, **{k: request.POST.get(k, "") for k in form.fields}
            )
        except Invalid:
            user.refresh_from_db()  # the form's validation wrote the refused values on it
            raise

    if request.method == "GET" and user.phone:
        # The form shows the whole phone number (GB/T 22239: reads of personal data are traced).
        security.personal_data_read(user, user, "phone", where="accounts:profile")
    return form_page(
        request,
        form,
        save,
        success=_("Your profile is saved."),
        then=reverse("accounts:profile"),
        catch=(),
        template="accounts/profile.html",
        context={"form": form, "person": user},
    )


def _send_or_confirm(request, **buttons: dict):
    """A page of two posts, the particulars ("send") and then the code sent ("confirm"):
    the action of the button pressed, through `run_action` (each button's keywords)."""
    for name, run in buttons.items():
        if name in request.POST:
            done = run_action(request, **run)
            if done:
                return done
    return None


@login_required
@second_factor_required
def phone_change_page(request):
    """The profile's phone change: the new number, then the code sent to it."""
    user = request.user
    here = reverse("accounts:phone_change")
    phone_form = PhoneChangeForm(request.POST if "send" in request.POST else None)
    code_form = VerificationCodeForm(request.POST if "confirm" in request.POST else None)
    done = _send_or_confirm(
        request,
        send={
            "form": phone_form,
            "call": lambda d: phone_change.start_phone_change(actor=user, phone=d["phone"]),
            "success": lambda row: (
                _("We sent a six-digit code to %(phone)s. It is valid for 10 minutes.")
                % {"phone": mask_phone(row.phone)}
            ),
            "then": here,
        },
        confirm={
            "form": code_form,
            "call": lambda d: phone_change.confirm_phone_change(actor=user, code=d["code"]),
            "success": _("Your phone is changed."),
            "then": reverse("accounts:profile"),
        },
    )
    if done:
        return done
    pending = phone_change.pending_change(user)
    context = {
        "phone_form": phone_form,
        "code_form": code_form,
        "pending_phone": mask_phone(pending.phone) if pending else "",
        "current_phone": user.phone_masked,
    }
    return render(request, "accounts/phone_change.html", context)


def register(request):
    """A party opens an account: the particulars (identity numbers and credit codes checked
    here), then the code sent to the phone (`register_confirm`). The answer is the same
    whether or not the identity number or phone already has an account (accounts.registration)."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegisterForm(request.POST or None)
    address = client_address(request)

    def start(data):
        row = registration.start_registration(address=address, **data)
        request.session[REGISTRATION_KEY] = row.token
        request.session[REGISTRATION_NEXT] = _next_url(request) if request.POST.get("next") else ""
        return row

    return form_page(
        request,
        form,
        start,
        success=lambda row: (
            _("We sent a six-digit code to %(phone)s. Enter it to open your account.")
            % {"phone": mask_phone(row.phone)}
        ),
        then=reverse("accounts:register_confirm"),
        catch=(),
        template="accounts/register.html",
        context={"form": form, "next": request.GET.get("next", "")},
    )


REGISTRATION_KEY = "sutiao.registration"
REGISTRATION_NEXT = "sutiao.registration_next"


def register_confirm(request):
    """The second step of registration: the code from the SMS opens the account."""
    if request.user.is_authenticated:
        return redirect("web:home")
    token = request.session.get(REGISTRATION_KEY, "")
    row = registration.pending(token)
    if row is None:
        messages.info(request, _("Start again: a code is valid for 10 minutes and 5 attempts."))
        return redirect("accounts:register")
    form = VerificationCodeForm(request.POST or None)
    then = request.session.get(REGISTRATION_NEXT) or reverse("web:home")

    def confirm(data):
        user = registration.complete_registration(token=token, code=data["code"])
        request.session.pop(REGISTRATION_KEY, None)
        login(request, user, backend="sutiao.accounts.backends.LockoutModelBackend")
        return user

    return form_page(
        request,
        form,
        confirm,
        success=_("Your account is open."),
        then=then,
        catch=(),
        template="accounts/register_confirm.html",
        context={"form": form, "phone": mask_phone(row.phone)},
    )


@login_required
def verify(request):
    """Real-name verification (OLR 7): the particulars, then the code sent to the phone;
    afterwards back to where the person was sent from (`next`)."""
    user = request.user
    here = reverse("accounts:verify") + (
        f"?next={_next_url(request)}" if _next_url(request) != "/" else ""
    )
    identity_form = IdentityForm(
        request.POST if "send" in request.POST else None,
        request.FILES if "send" in request.POST else None,
        user=user,
        initial={"real_name": user.real_name, "phone": user.phone, "uscc": user.uscc},
    )
    code_form = VerificationCodeForm(request.POST if "confirm" in request.POST else None)
    done = _send_or_confirm(
        request,
        send={
            "form": identity_form,
            "call": lambda d: actions.start_verification(
                actor=user,
                data=actions.IdentityIn(
                    real_name=d["real_name"],
                    phone=d["phone"],
                    id_number=d.get("id_number", ""),
                    uscc=d.get("uscc", ""),
                    representative_name=d.get("representative_name", ""),
                    representative_id=d.get("representative_id", ""),
                    authorisation=d.get("authorisation"),
                ),
            ),
            "success": _("A code was sent to your phone. It is valid for 10 minutes."),
            "then": here,
        },
        confirm={
            "form": code_form,
            "call": lambda d: actions.confirm_verification(actor=user, code=d["code"]),
            "success": _("Your identity is verified."),
            "then": _next_url(request),
        },
    )
    if done:
        return done
    pending = user.verifications.filter(verified_at__isnull=True).first()
    context = {
        "identity_form": identity_form,
        "code_form": code_form,
        "pending": pending,
        "person": user,
        "next": _next_url(request),
    }
    return render(request, "accounts/verify.html", context)
