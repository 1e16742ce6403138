"""Who may do what with activities: the one place this app reads roles.

The secretariat sees and reviews every activity. A partner creates activities led by its own
organisation and edits them while they are drafts or returned. Before approval an activity
is its lead organisation's and the secretariat's; approved, its label decides who reads it
(amber: the lead and participating organisations and the donor of its award).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from activities.dashboard_models import NationalFigure
from activities.models import Activity, ActivityOrganisation, ReviewState
from activities.trend_models import TrendNote, TrendResponse, TrendStatus
from portal.lib.sensitivity import Label, readable
from stakeholders.models import User
from stakeholders.permissions import (
    NOTHING,
    has_portal_role,
    is_focal_point_of,
    is_partner,
    is_secretariat,
)

# What an activity's own form may change; the review moves through its own actions.
ACTIVITY_FIELDS = frozenset(
    {
        "external_id",
        "title",
        "description",
        "type",
        "primary_pillar",
        "other_pillars",
        "target_groups",
        "lead_organisation",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "modality",
        "budget",
        "currency",
        "award",
        "meeting",
        "outcome_summary",
        "label",
    }
)
EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.RETURNED)


def _own_organisation_id(user: User) -> int | None:
    person = user.person
    return person.organisation_id if person is not None else None


def can_read_activities(user: User) -> bool:
    """The activity list: every portal user (it shows what they may see)."""
    return has_portal_role(user)


def can_create_activity(user: User) -> bool:
    """The secretariat, for any organisation; a partner with an organisation, for its own."""
    return is_secretariat(user) or (is_partner(user) and _own_organisation_id(user) is not None)


def may_lead(user: User, organisation_id: int | None) -> bool:
    """Whether an activity the user writes may be led by that organisation."""
    if is_secretariat(user):
        return organisation_id is not None
    own = _own_organisation_id(user)
    return is_partner(user) and own is not None and organisation_id == own


def can_edit_activity(user: User, activity: Activity) -> bool:
    """The secretariat, or a partner of the lead organisation while it is a draft or returned."""
    if is_secretariat(user):
        return True
    return (
        may_lead(user, activity.lead_organisation_id) and activity.review_state in EDITABLE_STATES
    )


def can_propose_revision(user: User, activity: Activity) -> bool:
    """Changes to an approved activity go through review: proposed by a partner of its lead
    organisation (the secretariat edits it directly)."""
    return (
        not is_secretariat(user)
        and may_lead(user, activity.lead_organisation_id)
        and activity.review_state == ReviewState.APPROVED
    )


def can_see_revisions(user: User, activity: Activity) -> bool:
    """Open revisions are the lead organisation's and the secretariat's."""
    return is_secretariat(user) or may_lead(user, activity.lead_organisation_id)


def can_add_evidence(user: User, activity: Activity) -> bool:
    """Evidence documents, whatever the review state: the lead organisation, or the
    secretariat."""
    return is_secretariat(user) or may_lead(user, activity.lead_organisation_id)


def can_submit_activity(user: User, activity: Activity) -> bool:
    return can_edit_activity(user, activity) and activity.review_state in EDITABLE_STATES


def can_review_activities(user: User) -> bool:
    """Approving or returning what is submitted: the secretariat."""
    return is_secretariat(user)


def can_manage_trust(user: User) -> bool:
    """Which organisations' submissions are approved on submit: the secretariat."""
    return is_secretariat(user)


def can_manage_calls(user: User) -> bool:
    """Opening calls for updates before meetings: the secretariat."""
    return is_secretariat(user)


def can_answer_call(user: User, organisation_id: int | None) -> bool:
    """ "Nothing new" for an organisation: its focal point (or alternate)."""
    return organisation_id is not None and is_focal_point_of(user, organisation_id)


def can_manage_awards(user: User) -> bool:
    """The funding awards: kept by the secretariat."""
    return is_secretariat(user)


def may_save_flagged_text(user: User) -> bool:
    """Saving text that looks like personal data, with a reason: the secretariat only."""
    return is_secretariat(user)


def activity_visibility(user: User | AnonymousUser) -> Q:
    """The secretariat: everything. Others: their organisation's activities whatever their
    state (red ones if named, or if they logged it), and approved ones by label (amber: the
    lead and participating organisations and the award's donor; red: the named people)."""
    if not has_portal_role(user):
        return NOTHING
    if is_secretariat(user):
        return Q()
    own = _own_organisation_id(user)
    person = user.person
    organisations = None
    if own is not None:
        organisations = (
            Q(lead_organisation_id=own)
            | Q(
                pk__in=ActivityOrganisation.objects.filter(organisation_id=own).values(
                    "activity_id"
                )
            )
            | Q(award__donor_id=own)
        )
    approved = Q(review_state=ReviewState.APPROVED) & readable(
        Activity,
        sees_all=False,
        portal_user=True,
        organisations=organisations,
        person_id=person.pk if person is not None else None,
    )
    if own is None:
        return approved
    # The lead organisation's own, in any state; one for named people only, only to those
    # named and to whoever logged it.
    named = Activity.named_people.through.objects.filter(
        person_id=person.pk if person is not None else 0
    ).values("activity_id")
    for_them = ~Q(label=Label.RED) | Q(pk__in=named) | Q(created_by_id=user.pk)
    return approved | (Q(lead_organisation_id=own) & for_them)


# Trend notes


# What a trend note's form may change; the status moves through its own action.
TREND_FIELDS = frozenset(
    {
        "title",
        "summary",
        "trend_type",
        "recruitment_methods",
        "exploitation_forms",
        "direction",
        "origin_countries",
        "transit_countries",
        "destination_countries",
        "target_groups",
        "regions",
        "source_type",
        "source_organisation",
        "confidence",
        "observed_from",
        "observed_to",
        "label",
    }
)
# The statuses the source organisation moves its own notes between.
SOURCE_STATUSES = (TrendStatus.NEW, TrendStatus.MONITORING)


def trend_visibility(user: User | AnonymousUser) -> Q:
    """The secretariat: every note. Others by label (amber: the source organisation; red: the
    named people), and the notes they wrote."""
    if not has_portal_role(user):
        return NOTHING
    if is_secretariat(user):
        return Q()
    own = _own_organisation_id(user)
    person = user.person
    return readable(
        TrendNote,
        sees_all=False,
        portal_user=True,
        organisations=Q(source_organisation_id=own) if own is not None else None,
        person_id=person.pk if person is not None else None,
    ) | Q(created_by_id=user.pk)


def can_read_trends(user: User) -> bool:
    """The board and the list: every portal user (they show what each may see)."""
    return has_portal_role(user)


def can_create_trend(user: User) -> bool:
    """The secretariat, for any source; a partner with an organisation, for its own."""
    return is_secretariat(user) or (is_partner(user) and _own_organisation_id(user) is not None)


def may_source(user: User, organisation_id: int | None) -> bool:
    """Whether a note the user writes may name that organisation as its source."""
    return may_lead(user, organisation_id)


def may_source_any(user: User) -> bool:
    """Recording notes from any organisation's observations: the secretariat."""
    return is_secretariat(user)


def can_edit_trend(user: User, note: TrendNote) -> bool:
    """The secretariat, or a partner of the source organisation."""
    return is_secretariat(user) or may_source(user, note.source_organisation_id)


def trend_statuses_for(user: User, note: TrendNote) -> list[str]:
    """The statuses the user may move the note to: the secretariat any; the source
    organisation between new and monitoring."""
    if is_secretariat(user):
        return [status for status in TrendStatus.values if status != note.status]
    if can_edit_trend(user, note) and note.status in SOURCE_STATUSES:
        return [status for status in SOURCE_STATUSES if status != note.status]
    return []


def can_link_response(user: User, note: TrendNote, activity: Activity) -> bool:
    """Linking an activity as a response: the secretariat; a partner of the note's source
    organisation; or a partner of the activity's lead organisation. (Both must be visible to
    them: the views look them up through `visible_to`.)"""
    return (
        is_secretariat(user)
        or can_edit_trend(user, note)
        or may_lead(user, activity.lead_organisation_id)
    )


def can_remove_response(user: User, response: TrendResponse) -> bool:
    """Whoever linked it, or whoever may link the two."""
    return response.linked_by_id == user.pk or can_link_response(
        user, response.trend, response.activity
    )


def can_link_responses(user: User) -> bool:
    """Whether a page offers to link responses at all."""
    return is_secretariat(user) or (is_partner(user) and _own_organisation_id(user) is not None)


def can_see_trends_without_response(user: User) -> bool:
    """The prompt of notes nobody answered: the secretariat's home and meeting pages."""
    return is_secretariat(user)


# The dashboard


def can_see_dashboard(user: User) -> bool:
    """The secretariat, donors and partners; a partner's figures are its organisation's."""
    return has_portal_role(user)


def dashboard_sees_everything(user: User) -> bool:
    """Whether a reader's figures count every record (the secretariat's): without a filter,
    they are read from the summary rows all such readers share (`activities.summary`)."""
    return is_secretariat(user)


def dashboard_organisation(user: User) -> int | None:
    """The organisation whose records alone a reader's figures count: a partner's own (0, no
    organisation's, for a partner without one); None for the secretariat and donors, who
    choose."""
    if not is_partner(user):
        return None
    return _own_organisation_id(user) or 0


def can_manage_targets(user: User) -> bool:
    """The secretariat sets the dashboard's targets; every reader of the dashboard sees them."""
    return is_secretariat(user)


def can_manage_national_figures(user: User) -> bool:
    """The secretariat enters the national figures the state agencies report."""
    return is_secretariat(user)


def national_figure_visibility(user: User | AnonymousUser) -> Q:
    """By label: clear and green every portal user, amber the secretariat and the source
    agency (national figures are never for named people only)."""
    if not has_portal_role(user):
        return NOTHING
    own = _own_organisation_id(user)
    return readable(
        NationalFigure,
        sees_all=is_secretariat(user),
        portal_user=True,
        organisations=Q(source_agency_id=own) if own is not None else None,
        person_id=None,
    )
