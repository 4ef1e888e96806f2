from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from . import practice, twofactor
from .audit import audit_record
from .forms import PasswordChangeForm, TokenForm
from .models import AuditEvent
from .roles import is_privileged


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url("home")


@login_required
def account_security(request):
    """Password and two-factor status of the signed-in account."""
    return render(
        request,
        "accounts/security.html",
        {"has_device": twofactor.has_device(request.user), "required": is_privileged(request.user)},
    )


@login_required
def password_change(request):
    """Change the password; other sessions of the account end, this one stays."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit_record(request=request, action=AuditEvent.Action.PASSWORD_CHANGED)
        messages.success(request, _("Kata sandi sudah diganti."))
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: QR code, then one code to prove it works, then recovery codes."""
    user = request.user
    if twofactor.has_device(user) and not user.is_verified():
        # A password alone must never add a second factor to an account that has one.
        return redirect(f"{resolve_url('accounts:two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = twofactor.pending_totp_device(user)
    form = TokenForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        codes = twofactor.two_factor_confirm(device=device)
        otp_login(request, device)
        audit_record(request=request, action=AuditEvent.Action.TWO_FACTOR, detail={"event": "enrolled"})
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    context = {
        "form": form,
        "qr": twofactor.qr_svg(device.config_url),
        "secret": twofactor.secret_display(device),
        "next": _next_url(request),
        "required": is_privileged(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request):
    """Ask for the code from the app (or a recovery code) once per session."""
    user = request.user
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect("accounts:two_factor_setup")
    # Authenticator apps first: a recovery code is used up when it matches.
    devices.sort(key=lambda d: d.persistent_id.startswith("otp_static"))
    form = TokenForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        used_recovery = form.device.persistent_id.startswith("otp_static")
        audit_record(
            request=request,
            action=AuditEvent.Action.TWO_FACTOR,
            detail={"event": "recovery_code_used" if used_recovery else "verified"},
        )
        if used_recovery:
            messages.warning(request, _("Anda masuk dengan kode cadangan. Buat kode cadangan baru di Keamanan akun."))
        return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@require_POST
@login_required
def recovery_codes_reset(request):
    """Issue new recovery codes (the old ones stop working) for a verified account."""
    if not twofactor.has_device(request.user) or not request.user.is_verified():
        return redirect("accounts:security")
    codes = twofactor.recovery_codes_reset(user=request.user)
    audit_record(request=request, action=AuditEvent.Action.TWO_FACTOR, detail={"event": "recovery_codes_reset"})
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": resolve_url("accounts:security")})


@require_POST
def practice_switch(request):
    """Switch practice mode ("Latihan") on or off for this session, from the header's switch."""
    if not practice.allowed(request.user):
        return redirect("home")
    on = request.POST.get("practice") == "1"
    request.session[practice.SESSION_KEY] = on
    if on:
        messages.info(request, _("Mode latihan aktif. Yang Anda catat sekarang hanya data latihan."))
    else:
        messages.info(request, _("Mode latihan selesai. Anda kembali bekerja dengan data nyata."))
    # Home, not the page the switch was on: a record of one mode is not found in the other.
    return redirect("home")
