"""Minutes pages: reading them in one's language or side by side, writing, circulating,
adopting and correcting them, comments and statements."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import (
    MinutesCommentForm,
    MinutesCorrectionForm,
    MinutesForm,
    StatementForm,
)
from meetings.models import LANGUAGES, Meeting, Minutes, MinutesRevision, MinutesState, Statement
from meetings.views._common import meeting_or_404
from portal.lib.markdown import render_markdown
from portal.lib.personal_data import record_override
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    allowed,
    form_page,
    id_param,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.models import Language


def _minutes_or_404(request: AuthenticatedHttpRequest, pk: int) -> tuple[Meeting, Minutes]:
    minutes = selectors.minutes_with_meeting(user=request.user, meeting_pk=pk)
    if minutes is None:
        raise Http404
    return minutes.meeting, minutes


def _minutes_url(meeting: Meeting) -> str:
    return reverse("meetings:minutes_detail", args=[meeting.pk])


def _revision(request: AuthenticatedHttpRequest, revisions: list[MinutesRevision]) -> Any:
    """The revision asked for (?revision=2), else the latest; 404 for one that is not."""
    wanted = id_param(request.GET.get("revision"))
    if wanted is None:
        return revisions[0]
    for revision in revisions:
        if revision.number == wanted:
            return revision
    raise Http404


def _language(request: AuthenticatedHttpRequest, revision: MinutesRevision) -> tuple[str, bool]:
    """The language to show: the one asked for (?lang=ru), else the reader's, when the
    revision is written in it; else the authoritative one. True when the reader's language
    was wanted but missing."""
    present = revision.languages
    asked = request.GET.get("lang", "")
    if asked in present:
        return asked, False
    reader = (get_language() or "")[:2]
    if reader in present:
        return reader, False
    return revision.authoritative_language, True


def _language_label(code: str) -> str:
    return str(Language(code).label)


@allowed(permissions.can_read_meetings, cached=True)
def minutes_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, minutes = _minutes_or_404(request, pk)
    form = MinutesCommentForm(
        meeting=meeting, may_override=permissions.may_save_flagged_text(request.user)
    )
    return _minutes_page(request, meeting, minutes, form)


def _minutes_page(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    minutes: Minutes,
    comment_form: MinutesCommentForm,
) -> HttpResponse:
    user = request.user
    revisions = selectors.minutes_revisions(minutes)
    revision = _revision(request, revisions)
    language, fell_back = _language(request, revision)
    can_write = permissions.can_write_minutes(user)
    can_comment = permissions.can_comment_on_minutes(user, minutes)
    context: dict[str, Any] = {
        "meeting": meeting,
        "minutes": minutes,
        "revision": revision,
        "revisions": revisions,
        "is_latest": revision.number == revisions[0].number,
        "language": language,
        "language_label": _language_label(language),
        "fell_back": fell_back,
        "other_languages": [
            (code, _language_label(code)) for code in revision.languages if code != language
        ],
        "text": render_markdown(revision.text_in(language)),
        "statements": selectors.minutes_statements(user=user, minutes=minutes),
        "comments": selectors.minutes_comments(minutes) if can_write or can_comment else [],
        "comment_form": comment_form if can_comment else None,
        "can_edit": can_write and not minutes.is_adopted,
        "can_circulate": can_write and minutes.state == MinutesState.DRAFT,
        "can_adopt": can_write and not minutes.is_adopted,
        "can_correct": can_write and minutes.is_adopted,
        "can_add_statement": can_write and not minutes.is_adopted,
    }
    return render(request, "meetings/minutes_detail.html", context)


@allowed(permissions.can_read_meetings, cached=True)
def minutes_compare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every language of a revision side by side."""
    meeting, minutes = _minutes_or_404(request, pk)
    revision = _revision(request, selectors.minutes_revisions(minutes))
    columns = [
        (code, _language_label(code), render_markdown(revision.text_in(code)))
        for code in LANGUAGES
        if code in revision.languages
    ]
    return render(
        request,
        "meetings/minutes_compare.html",
        {"meeting": meeting, "minutes": minutes, "revision": revision, "columns": columns},
    )


@allowed(permissions.can_write_minutes, methods=READ_WRITE)
def minutes_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Write the meeting's minutes, or edit them until they are adopted."""
    meeting = meeting_or_404(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.is_adopted:
        messages.error(request, str(services.LOCKED))
        return redirect("meetings:minutes_correct", meeting.pk)
    initial: dict[str, Any] = {"authoritative_language": Language.RUSSIAN}
    if minutes is not None:
        revision = services.current_revision(minutes)
        initial = {
            "label": minutes.label,
            "named_people": list(minutes.named_people.all()),
            "authoritative_language": revision.authoritative_language,
            **{f"text_{code}": revision.text_in(code) for code in LANGUAGES},
        }
    form = MinutesForm(
        request.POST or None,
        initial=initial,
        meeting=meeting,
        minutes=minutes,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        if minutes is None:
            saved = save_form(
                form,
                lambda data: services.minutes_create(user=request.user, meeting=meeting, data=data),
            )
        else:
            found = minutes
            saved = save_form(
                form,
                lambda data: services.minutes_update(
                    user=request.user,
                    minutes=found,
                    data={k: v for k, v in data.items() if k != "version"},
                    version=data["version"],
                ),
            )
        if saved is not None:
            record_override(form, actor=request.user, target=saved, request=request)
            messages.success(request, _("Minutes saved."))
            return redirect(_minutes_url(meeting))
    return form_page(
        request,
        form,
        _("Minutes of %(meeting)s") % {"meeting": meeting.local_title},
        _minutes_url(meeting) if minutes is not None else meeting.get_absolute_url(),
    )


@allowed(permissions.can_write_minutes, methods=READ_WRITE)
def minutes_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct adopted minutes: a new revision, with its reason."""
    meeting, minutes = _minutes_or_404(request, pk)
    if not minutes.is_adopted:
        return redirect("meetings:minutes_edit", meeting.pk)
    revision = services.current_revision(minutes)
    form = MinutesCorrectionForm(
        request.POST or None,
        initial={
            "authoritative_language": revision.authoritative_language,
            **{f"text_{code}": revision.text_in(code) for code in LANGUAGES},
        },
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.minutes_correct(
                user=request.user,
                minutes=minutes,
                reason=data.pop("reason"),
                data=data,
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=minutes, request=request)
            messages.success(
                request,
                _("Correction adopted as revision %(number)s.") % {"number": saved.number},
            )
            return redirect(_minutes_url(meeting))
    return form_page(
        request,
        form,
        _("Correct the minutes of %(meeting)s") % {"meeting": meeting.local_title},
        _minutes_url(meeting),
    )


@allowed(permissions.can_write_minutes, methods=WRITE)
def minutes_circulate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, minutes = _minutes_or_404(request, pk)
    act(
        request,
        lambda: services.minutes_circulate(user=request.user, minutes=minutes),
        done=_("Minutes circulated for comment to the invitees who may read them."),
    )
    return redirect(_minutes_url(meeting))


@allowed(permissions.can_write_minutes, methods=WRITE)
def minutes_adopt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, minutes = _minutes_or_404(request, pk)
    act(
        request,
        lambda: services.minutes_adopt(user=request.user, minutes=minutes),
        done=_("Minutes adopted in every language they are written in."),
    )
    return redirect(_minutes_url(meeting))


@allowed(permissions.can_read_meetings, methods=WRITE)
def minutes_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, minutes = _minutes_or_404(request, pk)
    if not permissions.can_comment_on_minutes(request.user, minutes):
        messages.error(request, _("Only circulated minutes take comments."))
        return redirect(_minutes_url(meeting))
    form = MinutesCommentForm(
        request.POST,
        meeting=meeting,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    comment = save_form(
        form,
        lambda data: services.minutes_comment(
            user=request.user, minutes=minutes, text=data["text"], agenda_item=data["agenda_item"]
        ),
    )
    if comment is None:
        return _minutes_page(request, meeting, minutes, form)
    record_override(form, actor=request.user, target=minutes, request=request)
    messages.success(request, _("Comment added."))
    return redirect(_minutes_url(meeting) + "#comments")


@allowed(permissions.can_write_minutes, methods=READ_WRITE)
def statement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, minutes = _minutes_or_404(request, pk)
    form = StatementForm(
        request.POST or None,
        meeting=meeting,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        statement = save_form(
            form,
            lambda data: services.statement_create(user=request.user, minutes=minutes, data=data),
        )
        if statement is not None:
            record_override(form, actor=request.user, target=minutes, request=request)
            messages.success(request, _("Statement recorded."))
            return redirect(_minutes_url(meeting) + "#statements")
    return form_page(request, form, _("New statement"), _minutes_url(meeting))


def _statement_or_404(request: AuthenticatedHttpRequest, pk: int) -> Statement:
    statement = (
        Statement.objects.visible_to(request.user)
        .select_related("minutes__meeting")
        .filter(pk=pk)
        .first()
    )
    if statement is None:
        raise Http404
    return statement


@allowed(permissions.can_write_minutes, methods=READ_WRITE)
def statement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = _statement_or_404(request, pk)
    meeting = statement.minutes.meeting
    back = _minutes_url(meeting) + "#statements"
    if statement.minutes.is_adopted:
        messages.error(request, str(services.LOCKED))
        return redirect(back)
    form = StatementForm(
        request.POST or None,
        instance=Statement.objects.get(pk=statement.pk),
        meeting=meeting,
        may_override=permissions.may_save_flagged_text(request.user),
        versioned=True,
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.statement_update(
                user=request.user, statement=statement, data=data, version=version
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=statement.minutes, request=request)
            messages.success(request, _("Statement saved."))
            return redirect(back)
    return form_page(request, form, _("Edit the statement"), back, conflict=conflict)


@allowed(permissions.can_write_minutes, methods=WRITE)
def statement_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = _statement_or_404(request, pk)
    act(
        request,
        lambda: services.statement_move(
            user=request.user, statement=statement, direction=request.POST.get("direction", "")
        ),
        done=_("Statement moved."),
    )
    return redirect(_minutes_url(statement.minutes.meeting) + "#statements")


@allowed(permissions.can_write_minutes, methods=WRITE)
def statement_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = _statement_or_404(request, pk)
    act(
        request,
        lambda: services.statement_delete(user=request.user, statement=statement),
        done=_("Statement removed."),
    )
    return redirect(_minutes_url(statement.minutes.meeting) + "#statements")
