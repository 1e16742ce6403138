"""Activity pages: the list, an activity, logging and editing it, its participants, review."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities import overlap, permissions, selectors, services, trend_selectors
from activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    AwardForm,
    CallForm,
    EvidenceForm,
    ParticipantsFormSet,
    ReturnForm,
    TrustForm,
)
from activities.models import (
    Activity,
    ActivityDocument,
    ActivityRevision,
    Award,
    CallForUpdates,
    TrustedOrganisation,
)
from portal.lib import periods
from portal.lib.personal_data import record_override
from portal.lib.uploads import attachment
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    add_validation_error,
    allowed,
    form_page,
    id_param,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.models import Organisation

PAGE_SIZE = 25


def _activity_or_404(request: AuthenticatedHttpRequest, pk: int) -> Activity:
    activity = selectors.activity_for(user=request.user, pk=pk)
    if activity is None:
        raise Http404
    return activity


def _warn_of_overlaps(request: AuthenticatedHttpRequest, activity: Activity) -> None:
    """Saving warns, never blocks, when another organisation plans the same thing."""
    found = overlap.overlaps_of(activity, user=request.user)
    if found:
        messages.warning(
            request,
            ngettext(
                "Another organisation has a similar activity for the same people and place "
                "within 30 days: %(activities)s. See the activity's page.",
                "Other organisations have similar activities for the same people and place "
                "within 30 days: %(activities)s. See the activity's page.",
                len(found),
            )
            % {
                "activities": "; ".join(
                    f"{o.second.code} ({o.second.lead_organisation.local_name})" for o in found
                )
            },
        )


@allowed(permissions.can_read_activities, cached=True)
def activity_radar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Pairs of activities of the next six months that may duplicate each other."""
    return render(
        request,
        "activities/radar.html",
        {"pairs": overlap.radar(user=request.user, today=timezone.localdate())},
    )


@allowed(permissions.can_read_activities, cached=True)
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET, user=request.user)
    period = periods.of_list(request)
    filters = {**form.filters, "period": period}
    activities = selectors.activity_list(user=request.user, filters=filters)
    page = paginate(activities, request.GET.get("page"), PAGE_SIZE)
    page.object_list = selectors.activity_rows(list(page.object_list))
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "filters": form,
            "query": query_without(request, "page"),
            "can_create": permissions.can_create_activity(request.user),
            "can_manage_awards": permissions.can_manage_awards(request.user),
            "period": period,
            "period_removed": query_without(request, "page", *periods.PARAMS, "counted"),
            # With a period, the people the listed activities reached, as the dashboard
            # counts them.
            "reached": selectors.participant_totals(activities, filters)
            if period is not None and filters.get("counted") == "ended"
            else None,
        },
    )


@allowed(permissions.can_read_activities, cached=True)
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    user = request.user
    participants = list(activity.participants.all())
    totals = {
        sex: sum(getattr(row, sex) for row in participants)
        for sex in ("female", "male", "undisclosed")
    }
    can_review = permissions.can_review_activities(user) and activity.review_state == "submitted"
    context: dict[str, Any] = {
        "activity": activity,
        "participants": participants,
        "totals": totals,
        "total": sum(totals.values()),
        "can_edit": permissions.can_edit_activity(user, activity),
        "can_submit": permissions.can_submit_activity(user, activity),
        "can_review": can_review,
        "return_form": ReturnForm(may_override=permissions.may_save_flagged_text(user))
        if can_review
        else None,
        "history": activity.history.select_related("history_user").order_by("-history_date")[:20],
        "overlaps": overlap.overlaps_of(activity, user=user),
        "trend_responses": (answered := trend_selectors.trends_answered_by(activity, user)),
        "removable_trend_links": {
            r.pk for r in answered if permissions.can_remove_response(user, r)
        },
        "can_link_trends": permissions.can_link_responses(user),
        "can_propose": permissions.can_propose_revision(user, activity),
        "evidence": list(activity.documents.all()),
        "can_add_evidence": permissions.can_add_evidence(user, activity),
    }
    if permissions.can_see_revisions(user, activity):
        revision = services.open_revision(activity)
        context["revision"] = revision
        context["revision_changes"] = selectors.revision_changes(revision) if revision else []
        context["can_review_revision"] = (
            revision is not None
            and revision.state == "submitted"
            and permissions.can_review_activities(user)
        )
        context["can_withdraw_revision"] = revision is not None and (
            permissions.can_propose_revision(user, activity)
        )
    return render(request, "activities/activity_detail.html", context)


@allowed(permissions.can_create_activity, methods=READ_WRITE)
def activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None,
        user=request.user,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        activity = save_form(
            form,
            lambda data: services.activity_create(user=request.user, data=data, places=form.places),
        )
        if activity is not None:
            record_override(form, actor=request.user, target=activity, request=request)
            messages.success(request, _("Activity saved as a draft."))
            _warn_of_overlaps(request, activity)
            return redirect(activity)
    return form_page(request, form, _("Log an activity"), reverse("activities:activity_list"))


@allowed(permissions.can_read_activities, methods=READ_WRITE)
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    if permissions.can_propose_revision(request.user, activity):
        return _propose_edit(request, activity)
    if not permissions.can_edit_activity(request.user, activity):
        raise Http404
    form = ActivityForm(
        request.POST or None,
        instance=Activity.objects.get(pk=activity.pk),
        user=request.user,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.activity_update(
                user=request.user,
                activity=activity,
                data=data,
                version=version,
                places=form.places,
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=saved, request=request)
            messages.success(request, _("Activity saved."))
            _warn_of_overlaps(request, saved)
            return redirect(activity)
    return form_page(
        request,
        form,
        _("Edit %(activity)s") % {"activity": activity.code},
        activity.get_absolute_url(),
        conflict=conflict,
    )


def _proposed(activity: Activity) -> Activity:
    """A copy of the activity with its open revision's values, for the form to start from."""
    copy = Activity.objects.get(pk=activity.pk)
    revision = services.open_revision(activity)
    if revision is not None:
        for name, value in revision.fields.items():
            field = Activity._meta.get_field(name)
            if isinstance(field, models.Field):
                setattr(copy, field.attname, field.to_python(value) if value is not None else None)
    return copy


def _propose_edit(request: AuthenticatedHttpRequest, activity: Activity) -> HttpResponse:
    """A partner's edit of an approved activity: a revision for review."""
    form = ActivityForm(
        request.POST or None,
        instance=_proposed(activity),
        user=request.user,
        proposing=True,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        revision = save_form(
            form,
            lambda data: services.revision_propose(
                user=request.user,
                activity=activity,
                data={k: v for k, v in data.items() if k != "version"},
                places=form.places,
            ),
        )
        if revision is not None:
            record_override(form, actor=request.user, target=activity, request=request)
            messages.success(
                request,
                _(
                    "Your changes are submitted for review; the approved version stays "
                    "published until they are approved."
                ),
            )
            return redirect(activity)
    return form_page(
        request,
        form,
        _("Propose changes to %(activity)s") % {"activity": activity.code},
        activity.get_absolute_url(),
    )


@allowed(permissions.can_read_activities, methods=READ_WRITE)
def activity_participants(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who took part: counts by target group and location, never names."""
    activity = _activity_or_404(request, pk)
    proposing = permissions.can_propose_revision(request.user, activity)
    if not (proposing or permissions.can_edit_activity(request.user, activity)):
        raise Http404
    initial = [
        {
            "target_group": row.target_group,
            "location": row.location_id,
            "female": row.female,
            "male": row.male,
            "undisclosed": row.undisclosed,
        }
        for row in activity.participants.all()
    ]
    formset = ParticipantsFormSet(
        request.POST or None, initial=initial, form_kwargs={"activity": activity}
    )
    refused: list[str] = []
    if request.method == "POST" and formset.is_valid():
        locations = {location.pk: location for location in activity.locations.all()}
        rows = [
            services.Count(
                target_group=form.cleaned_data["target_group"],
                location=locations[form.cleaned_data["location"]],
                female=form.cleaned_data["female"],
                male=form.cleaned_data["male"],
                undisclosed=form.cleaned_data["undisclosed"],
            )
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            if proposing:
                services.revision_propose(user=request.user, activity=activity, rows=rows)
            else:
                services.participants_set(user=request.user, activity=activity, rows=rows)
        except ValidationError as error:
            refused = error.messages
        else:
            messages.success(
                request,
                _("Participants submitted for review.") if proposing else _("Participants saved."),
            )
            return redirect(activity)
    return render(
        request,
        "activities/participants.html",
        {"activity": activity, "formset": formset, "refused": refused},
    )


@allowed(permissions.can_read_activities, methods=WRITE)
def activity_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    if not permissions.can_submit_activity(request.user, activity):
        raise Http404
    act(
        request,
        lambda: services.activity_submit(user=request.user, activity=activity),
        done=_("Activity submitted for review."),
    )
    return redirect(activity)


@allowed(permissions.can_review_activities, methods=WRITE)
def activity_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    act(
        request,
        lambda: services.activity_approve(user=request.user, activity=activity),
        done=_("Activity approved."),
    )
    return redirect(activity)


@allowed(permissions.can_review_activities, methods=WRITE)
def activity_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    form = ReturnForm(request.POST, may_override=True)
    if form.is_valid():
        try:
            services.activity_return(
                user=request.user, activity=activity, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            record_override(form, actor=request.user, target=activity, request=request)
            messages.success(request, _("Activity returned to its organisation."))
            return redirect(activity)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(error) for error in errors))
    return redirect(activity)


@allowed(permissions.can_manage_awards, cached=True)
def award_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    awards = Award.objects.select_related("donor").annotate(activity_count=Count("activities"))
    return render(request, "activities/award_list.html", {"awards": awards})


@allowed(permissions.can_manage_awards, methods=READ_WRITE)
def award_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AwardForm(request.POST or None)
    if request.method == "POST":
        award = save_form(form, lambda data: services.award_save(user=request.user, data=data))
        if award is not None:
            messages.success(request, _("Award saved."))
            return redirect("activities:award_list")
    return form_page(request, form, _("New funding award"), reverse("activities:award_list"))


@allowed(permissions.can_manage_awards, methods=READ_WRITE)
def award_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    award = Award.objects.filter(pk=pk).first()
    if award is None:
        raise Http404
    form = AwardForm(request.POST or None, instance=Award.objects.get(pk=award.pk))
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.award_save(
                user=request.user, data=data, award=award, version=version
            ),
        )
        if saved is not None:
            messages.success(request, _("Award saved."))
            return redirect("activities:award_list")
    return form_page(request, form, str(award), reverse("activities:award_list"), conflict=conflict)


def _revision_or_404(request: AuthenticatedHttpRequest, pk: int) -> ActivityRevision:
    revision = (
        ActivityRevision.objects.filter(
            pk=pk, activity__in=Activity.objects.visible_to(request.user)
        )
        .select_related("activity")
        .first()
    )
    if revision is None or not permissions.can_see_revisions(request.user, revision.activity):
        raise Http404
    return revision


@allowed(permissions.can_review_activities, methods=WRITE)
def revision_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision = _revision_or_404(request, pk)
    act(
        request,
        lambda: services.revision_approve(user=request.user, revision=revision),
        done=_("The changes are approved and published."),
    )
    return redirect(revision.activity)


@allowed(permissions.can_review_activities, methods=WRITE)
def revision_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision = _revision_or_404(request, pk)
    act(
        request,
        lambda: services.revision_return(
            user=request.user, revision=revision, comment=request.POST.get("comment", "")
        ),
        done=_("The changes are returned to the organisation."),
    )
    return redirect(revision.activity)


@allowed(permissions.can_read_activities, methods=WRITE)
def revision_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision = _revision_or_404(request, pk)
    if not permissions.can_propose_revision(request.user, revision.activity):
        raise Http404
    act(
        request,
        lambda: services.revision_withdraw(user=request.user, revision=revision),
        done=_("Your proposed changes are withdrawn."),
    )
    return redirect(revision.activity)


@allowed(permissions.can_manage_trust, methods=READ_WRITE)
def trusted_organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisations whose submissions are approved on submit; add or remove one."""
    form = TrustForm(request.POST or None, user=request.user)
    if request.method == "POST":
        removed = id_param(request.POST.get("remove"))
        if removed is not None:
            organisation = Organisation.objects.filter(pk=removed).first()
            if organisation is None:
                raise Http404
            services.trust_set(
                user=request.user, organisation=organisation, trusted=False, request=request
            )
            messages.success(request, _("The organisation's submissions are reviewed again."))
            return redirect("activities:trusted_organisations")
        if form.is_valid():
            services.trust_set(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                trusted=True,
                request=request,
            )
            messages.success(
                request, _("The organisation's submissions are now approved as they come.")
            )
            return redirect("activities:trusted_organisations")
    trusted = TrustedOrganisation.objects.select_related("organisation", "granted_by").order_by(
        "organisation__name"
    )
    return render(
        request, "activities/trusted_organisations.html", {"trusted": trusted, "form": form}
    )


@allowed(permissions.can_read_activities, cached=True)
def call_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The calls for updates: all for the secretariat; those their organisation is asked in
    for others."""
    calls = CallForUpdates.objects.select_related("meeting").annotate(
        pending=Count("answers", filter=Q(answers__state="pending")),
        answered=Count("answers", filter=~Q(answers__state="pending")),
    )
    if not permissions.can_manage_calls(request.user):
        person = request.user.person
        own = person.organisation_id if person is not None else None
        calls = calls.filter(answers__organisation_id=own or 0)
    return render(
        request,
        "activities/call_list.html",
        {"calls": calls, "can_open": permissions.can_manage_calls(request.user)},
    )


@allowed(permissions.can_manage_calls, methods=READ_WRITE)
def call_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None, user=request.user)
    if request.method == "POST":
        call = save_form(
            form,
            lambda data: services.call_open(
                user=request.user, meeting=data["meeting"], deadline=data["deadline"]
            ),
        )
        if call is not None:
            messages.success(request, _("The call for updates is open."))
            return redirect(call)
    return form_page(request, form, _("Call for updates"), reverse("activities:call_list"))


def _call_or_404(request: AuthenticatedHttpRequest, pk: int) -> CallForUpdates:
    call = CallForUpdates.objects.select_related("meeting").filter(pk=pk).first()
    if call is None:
        raise Http404
    person = request.user.person
    own = person.organisation_id if person is not None else None
    asked = call.answers.filter(organisation_id=own or 0).exists()
    if not (permissions.can_manage_calls(request.user) or asked):
        raise Http404
    return call


@allowed(permissions.can_read_activities, cached=True)
def call_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    person = request.user.person
    own = person.organisation_id if person is not None else None
    answers = list(call.answers.select_related("organisation"))
    own_answer = next((a for a in answers if a.organisation_id == own), None)
    return render(
        request,
        "activities/call_detail.html",
        {
            "call": call,
            "answers": answers if permissions.can_manage_calls(request.user) else [],
            "own_answer": own_answer,
            "can_say_nothing_new": own_answer is not None
            and own_answer.state == "pending"
            and permissions.can_answer_call(request.user, own),
        },
    )


@allowed(permissions.can_read_activities, methods=WRITE)
def call_nothing_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(request, pk)
    act(
        request,
        lambda: services.call_nothing_new(user=request.user, call=call),
        done=_("Recorded: your organisation has nothing new for this meeting."),
    )
    return redirect(call)


@allowed(permissions.can_read_activities, methods=READ_WRITE)
def evidence_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    if not permissions.can_add_evidence(request.user, activity):
        raise Http404
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        upload = request.FILES.get("file")
        document = save_form(
            form,
            lambda data: services.evidence_upload(
                user=request.user,
                activity=activity,
                file=data["file"],
                file_name=upload.name if upload is not None and upload.name else "",
                title=data.get("title") or "",
            ),
        )
        if document is not None:
            record_override(form, actor=request.user, target=activity, request=request)
            messages.success(request, _("Document added."))
            return redirect(activity.get_absolute_url() + "#evidence")
    return form_page(
        request,
        form,
        _("Add evidence to %(activity)s") % {"activity": activity.code},
        activity.get_absolute_url(),
    )


def _evidence_or_404(request: AuthenticatedHttpRequest, pk: int) -> ActivityDocument:
    document = (
        ActivityDocument.objects.filter(
            pk=pk, activity__in=Activity.objects.visible_to(request.user)
        )
        .select_related("activity")
        .first()
    )
    if document is None:
        raise Http404
    return document


@allowed(permissions.can_read_activities)
def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The file, as an attachment under its original name, to those who read the activity."""
    document = _evidence_or_404(request, pk)
    return attachment(document.file, name=document.original_name, file_type=document.file_type)


@allowed(permissions.can_read_activities, methods=WRITE)
def evidence_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _evidence_or_404(request, pk)
    if not permissions.can_add_evidence(request.user, document.activity):
        raise Http404
    act(
        request,
        lambda: services.evidence_delete(user=request.user, document=document),
        done=_("Document removed."),
    )
    return redirect(document.activity.get_absolute_url() + "#evidence")
