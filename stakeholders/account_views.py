"""Pages for portal access: granting it, the set-password link, the users page, the profile
and the audit trail."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.lib.tabular import csv_response
from stakeholders import accounts, selectors, services
from stakeholders.access import role_required
from stakeholders.forms import (
    AuditFilterForm,
    ChangeRoleForm,
    GrantAccessForm,
    ProfileForm,
    UserFilterForm,
)
from stakeholders.models import Person, Role, User
from stakeholders.views import READERS, _person_or_404, _query_without

PAGE_SIZE = 50


@require_POST
@role_required(Role.SECRETARIAT, Role.PARTNER)
def person_grant_access(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    person = _person_or_404(request, pk)
    roles = accounts.invitable_roles(actor=request.user, person=person)
    if not roles:
        raise Http404
    form = GrantAccessForm(request.POST, roles=roles)
    if not form.is_valid():
        messages.error(request, _("Choose a role you may give."))
        return redirect(person)
    try:
        accounts.account_invite(
            actor=request.user, person=person, role=form.cleaned_data["role"], request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("An invitation to set a password was sent to %(email)s.") % {"email": person.email},
        )
    return redirect(person)


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label=_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password; the answer is the same for any address."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.password_reset_request(email=form.cleaned_data["email"], request=request)
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})


@never_cache
def password_set(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind an emailed link: choose a password, then you are logged in."""
    invitation, state = accounts.invitation_lookup(token)
    person = invitation.user.person if invitation is not None else None
    # Someone opening their link has chosen no language yet: use the one their email
    # was written in.
    if (
        person is not None
        and not request.user.is_authenticated
        and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
    ):
        translation.activate(person.preferred_language)
        request.LANGUAGE_CODE = person.preferred_language
    if state != accounts.InvitationState.VALID or invitation is None:
        return render(
            request,
            "registration/password_link_invalid.html",
            {"state": state, "invitation": invitation},
            status=410 if invitation is not None else 404,
        )
    form = SetPasswordForm(invitation.user, request.POST or None)
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
    return render(
        request, "registration/password_set.html", {"form": form, "invitation": invitation}
    )


@role_required(Role.SECRETARIAT)
def user_list(request: HttpRequest) -> HttpResponse:
    users = selectors.user_list(user=request.user, params=request.GET)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/user_list.html",
        {
            "page": page,
            "filters": UserFilterForm(request.GET),
            "query": _query_without(request, "page"),
            "roles": Role.choices,
        },
    )


@role_required(Role.SECRETARIAT)
def user_export(request: HttpRequest) -> HttpResponse:
    users = selectors.user_list(user=request.user, params=request.GET)
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
            "yes" if account.pending_invitations else "no",  # type: ignore[attr-defined]
        ]
        for account in users
    )
    return csv_response(f"portal-users-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


def _account_or_404(request: HttpRequest, pk: int) -> User:
    account = User.objects.visible_to(request.user).select_related("person").filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def _back(request: HttpRequest, account: User) -> HttpResponseRedirect:
    return redirect(account.person if account.person else "stakeholders:user_list")


@require_POST
@role_required(Role.SECRETARIAT)
def user_change_role(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    account = _account_or_404(request, pk)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return _back(request, account)
    try:
        accounts.account_change_role(
            actor=request.user, user=account, role=form.cleaned_data["role"], request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role changed. It applies from the user's next page."))
    return _back(request, account)


@require_POST
@role_required(Role.SECRETARIAT)
def user_set_active(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    account = _account_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        accounts.account_set_active(
            actor=request.user, user=account, active=active, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Access restored.") if active else _("Access ended; the user is logged out."),
        )
    return _back(request, account)


@role_required(*READERS)
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    form = (
        ProfileForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
        if person
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        services.profile_update(
            user=request.user, data={name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form, "person": person})


@role_required(Role.SECRETARIAT)
def audit_list(request: HttpRequest) -> HttpResponse:
    filters = AuditFilterForm(request.GET)
    params = filters.cleaned_data if filters.is_valid() else {}
    events = selectors.audit_list(user=request.user, params=params)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/audit_list.html",
        {"page": page, "filters": filters, "query": _query_without(request, "page")},
    )
