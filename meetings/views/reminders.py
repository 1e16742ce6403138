"""The secretariat's view of a meeting's reminders, and the rules of series and meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import ReminderRuleForm
from meetings.models import Meeting, MeetingSeries, ReminderRule
from meetings.views._common import meeting_or_404, series_or_404
from portal.lib.views import READ_WRITE, WRITE, act, add_validation_error, allowed
from stakeholders.access import AuthenticatedHttpRequest


def _reminders_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting_reminders", args=[meeting.pk])


def _add_rule(
    request: AuthenticatedHttpRequest,
    form: ReminderRuleForm,
    *,
    series: MeetingSeries | None = None,
    meeting: Meeting | None = None,
) -> bool:
    if not form.is_valid():
        return False
    try:
        services.reminder_rule_add(
            user=request.user,
            series=series,
            meeting=meeting,
            offset_minutes=form.cleaned_data["offset_minutes"],
            audience=form.cleaned_data["audience"],
        )
    except ValidationError as error:
        add_validation_error(form, error)
        return False
    messages.success(request, _("Reminder added."))
    return True


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def meeting_reminders(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who was reminded of the meeting, when and how it went, and who is next; the rules."""
    meeting = meeting_or_404(request, pk)
    rules, own = selectors.reminder_rules(meeting)
    form = ReminderRuleForm(request.POST or None)
    if request.method == "POST":
        if not own:
            raise Http404
        if _add_rule(request, form, meeting=meeting):
            return redirect(_reminders_url(meeting))
    return render(
        request,
        "meetings/meeting_reminders.html",
        {
            "meeting": meeting,
            "rules": rules,
            "own_rules": own,
            "people": selectors.meeting_reminders(meeting, rules),
            "form": form,
        },
    )


@allowed(permissions.can_manage_meetings, methods=WRITE)
def series_reminder_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    series = series_or_404(request, pk)
    form = ReminderRuleForm(request.POST)
    if not _add_rule(request, form, series=series):
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect(reverse("meetings:series_detail", args=[series.pk]) + "#reminders")


@allowed(permissions.can_manage_meetings, methods=WRITE)
def reminder_rule_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = ReminderRule.objects.select_related("series", "meeting").filter(pk=pk).first()
    if rule is None:
        raise Http404
    act(
        request,
        lambda: services.reminder_rule_delete(user=request.user, rule=rule),
        done=_("Reminder removed."),
    )
    if rule.meeting is not None:
        return redirect(_reminders_url(rule.meeting))
    return redirect(reverse("meetings:series_detail", args=[rule.series_id]) + "#reminders")


@allowed(permissions.can_manage_meetings, methods=WRITE)
def meeting_rules_own(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Give the meeting reminders of its own, starting from its series', or drop them."""
    meeting = meeting_or_404(request, pk)
    if request.POST.get("own") == "no":
        act(
            request,
            lambda: services.meeting_rules_reset(user=request.user, meeting=meeting),
            done=_("The meeting follows its series' reminders again."),
        )
    else:
        act(
            request,
            lambda: services.meeting_rules_customise(user=request.user, meeting=meeting),
            done=_("The meeting has reminders of its own now."),
        )
    return redirect(_reminders_url(meeting))
