"""Pages for portal access: granting it, the set-password link, the users page, the profile
and the audit trail."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.lib.net import client_ip
from portal.lib.ratelimit import RateLimit
from portal.lib.tabular import csv_response
from portal.lib.tokens import TokenState
from portal.lib.views import READ_WRITE, WRITE, act, allowed, paginate, query_without
from stakeholders import accounts, permissions, profile_panels, selectors, services
from stakeholders import unsubscribe as unsubscribe_service
from stakeholders.access import AuthenticatedHttpRequest, person_or_404
from stakeholders.forms import (
    AuditFilterForm,
    ChangeRoleForm,
    GrantAccessForm,
    ProfileForm,
    UserFilterForm,
)
from stakeholders.models import Person, UnsubscribeLink, User

PAGE_SIZE = 25
# Requests for password links from one address: enough for an office, not for a flood.
RESET_REQUESTS = RateLimit("password-resets", limit=20, window=15 * 60)


@allowed(permissions.can_invite, methods=WRITE)
def person_grant_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    person = person_or_404(request, pk)
    roles = permissions.invitable_roles(request.user, person)
    if not roles:
        raise Http404
    form = GrantAccessForm(request.POST, roles=roles)
    if not form.is_valid():
        messages.error(request, _("Choose a role you may give."))
        return redirect(person)
    act(
        request,
        lambda: accounts.account_invite(
            actor=request.user, person=person, role=form.cleaned_data["role"], request=request
        ),
        done=_("An invitation to set a password was sent to %(email)s.") % {"email": person.email},
    )
    return redirect(person)


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label=_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


@require_http_methods(READ_WRITE)
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password; the answer is the same for any address."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_ip(request)
        # Past the limit the answer is the same, and nothing is stored or sent.
        if RESET_REQUESTS.hit(address or "unknown"):
            accounts.password_reset_request(email=form.cleaned_data["email"], client_ip=address)
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})


@never_cache
@require_http_methods(READ_WRITE)
def password_set(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind an emailed link: choose a password, then you are logged in."""
    link, state = accounts.link_lookup(token)
    person = link.user.person if link is not None else None
    # Someone opening their link has chosen no language yet: use the one their email
    # was written in.
    if (
        person is not None
        and not request.user.is_authenticated
        and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
    ):
        translation.activate(person.preferred_language)
        request.LANGUAGE_CODE = person.preferred_language
    if state != TokenState.VALID or link is None:
        return render(
            request,
            "registration/password_link_invalid.html",
            {"state": state, "link": link},
            status=410 if link is not None else 404,
        )
    form = SetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.password_set(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="stakeholders.backends.EmailBackend")
            messages.success(request, _("Your password is set. Welcome to the portal."))
            return redirect("home")
    return render(request, "registration/password_set.html", {"form": form, "link": link})


@allowed(permissions.can_manage_accounts, cached=True)
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET, user=request.user)
    users = selectors.user_list(user=request.user, filters=form.filters)
    page = paginate(users, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "stakeholders/user_list.html",
        {"page": page, "filters": form, "query": query_without(request, "page")},
    )


@allowed(permissions.can_manage_accounts)
def user_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET, user=request.user)
    users = selectors.user_list(user=request.user, filters=form.filters)
    header = [
        "email",
        "full_name",
        "organisation",
        "role",
        "active",
        "last_login",
        "pending_invitation",
    ]
    rows = (
        [
            account.email,
            account.person.full_name if account.person else "",
            account.organisation.name if account.organisation else "",
            account.role,
            "yes" if account.is_active else "no",
            timezone.localtime(account.last_login).isoformat() if account.last_login else "",
            "yes" if account.pending_invitations else "no",  # type: ignore[attr-defined]  # annotated by the selector
        ]
        for account in users.iterator(chunk_size=500)
    )
    return csv_response(f"portal-users-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


def _account_or_404(request: AuthenticatedHttpRequest, pk: int) -> User:
    account = User.objects.visible_to(request.user).select_related("person").filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def _back(account: User) -> HttpResponseRedirect:
    if account.person is not None:
        return redirect(account.person)
    return redirect("stakeholders:user_list")


@allowed(permissions.can_manage_accounts, methods=WRITE)
def user_change_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    account = _account_or_404(request, pk)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return _back(account)
    act(
        request,
        lambda: accounts.account_change_role(
            actor=request.user, user=account, role=form.cleaned_data["role"], request=request
        ),
        done=_("Role changed. The user is logged out and has the new role from the next login."),
    )
    return _back(account)


@allowed(permissions.can_manage_accounts, methods=WRITE)
def user_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    account = _account_or_404(request, pk)
    active = request.POST.get("active") == "1"
    act(
        request,
        lambda: accounts.account_set_active(
            actor=request.user, user=account, active=active, request=request
        ),
        done=_("Access restored.") if active else _("Access ended; the user is logged out."),
    )
    return _back(account)


# Never stored by the browser: a panel may show a secret once, which Back must not show again.
@never_cache
@allowed(permissions.can_read_directory, methods=READ_WRITE)
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = request.user.person
    form = None
    if permissions.can_edit_profile(request.user) and person is not None:
        form = ProfileForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form is not None and form.is_valid():
        services.profile_update(
            user=request.user, data={name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("profile")
    return render(
        request,
        "registration/profile.html",
        {"form": form, "person": person, "panels": profile_panels.panels(request)},
    )


@allowed(permissions.can_manage_accounts, cached=True)
def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = AuditFilterForm(request.GET)
    events = selectors.audit_list(user=request.user, filters=filters.filters)
    page = paginate(events, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "stakeholders/audit_list.html",
        {"page": page, "filters": filters, "query": query_without(request, "page")},
    )


@csrf_exempt  # a mail provider's one-click POST carries the token alone (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET says what the link turns off and offers a button, changing nothing (or says the
    emails are off already); POST turns them off."""
    link = UnsubscribeLink.objects.find(token)
    if link is None or not link.is_live:
        raise Http404
    if request.method == "POST":
        unsubscribe_service.unsubscribe(link=link)
        return redirect(request.path)
    done = not getattr(link.person, link.choice)
    return render(request, "registration/unsubscribe.html", {"link": link, "done": done})
