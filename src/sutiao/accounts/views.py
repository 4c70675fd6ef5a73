from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sutiao.core.errors import Invalid
from sutiao.core.forms import form_page, run_action

from . import actions
from .forms import (
    IdentityForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    TokenForm,
    VerificationCodeForm,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, response=None, credentials=None):
    return render(request, "accounts/locked_out.html", status=403)


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
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(
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
        context["qr_svg"] = mark_safe(svg)  # noqa: S308
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/second_factor.html", context)


@login_required
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


def register(request):
    """A party opens an account; identity numbers and credit codes are checked here."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegisterForm(request.POST or None)

    def open_account(data):
        user = actions.register_party(
            username=data["username"],
            password=data["password"],
            real_name=data["real_name"],
            kind=data["kind"],
            id_number=data["id_number"],
            uscc=data["uscc"],
            phone=data["phone"],
            email=data["email"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return user

    return form_page(
        request,
        form,
        open_account,
        success=_("Your account is open."),
        then=_next_url(request) if request.POST.get("next") else reverse("web:home"),
        catch=(),
        template="accounts/register.html",
        context={"form": form, "next": request.GET.get("next", "")},
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
    if "send" in request.POST:
        done = run_action(
            request,
            identity_form,
            lambda d: actions.start_verification(
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
            success=_("A code was sent to your phone. It is valid for 10 minutes."),
            then=here,
        )
        if done:
            return done
    if "confirm" in request.POST:
        done = run_action(
            request,
            code_form,
            lambda d: actions.confirm_verification(actor=user, code=d["code"]),
            success=_("Your identity is verified."),
            then=_next_url(request),
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
