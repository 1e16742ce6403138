"""Merging organisations: activities move their references to the organisation kept."""

from activities.dashboard_models import NationalFigure
from activities.models import (
    Activity,
    ActivityOrganisation,
    Award,
    OrganisationUpdate,
    TrustedOrganisation,
)
from activities.summary_models import SummaryItem
from activities.trend_models import TrendNote
from stakeholders import merging


def _move_activity_references(merge: merging.Merge) -> None:
    duplicate, keep = merge.duplicate, merge.keep
    Award.objects.filter(donor=duplicate).update(donor=keep)
    Activity.objects.filter(lead_organisation=duplicate).update(lead_organisation=keep)
    # An activity naming both in one role keeps the organisation kept.
    both = ActivityOrganisation.objects.filter(organisation=keep).values_list("activity_id", "role")
    for activity_id, role in list(both):
        ActivityOrganisation.objects.filter(
            organisation=duplicate, activity_id=activity_id, role=role
        ).delete()
    ActivityOrganisation.objects.filter(organisation=duplicate).update(organisation=keep)
    # An organisation invited twice to a call keeps the answer of the organisation kept.
    kept_calls = OrganisationUpdate.objects.filter(organisation=keep).values("call_id")
    OrganisationUpdate.objects.filter(organisation=duplicate, call_id__in=kept_calls).delete()
    OrganisationUpdate.objects.filter(organisation=duplicate).update(organisation=keep)
    TrendNote.objects.filter(source_organisation=duplicate).update(source_organisation=keep)
    # A figure both reported for one period keeps the one of the organisation kept.
    kept_figures = NationalFigure.objects.filter(source_agency=keep).values_list(
        "indicator", "period_kind", "starts_on", "ends_on"
    )
    for indicator, kind, starts_on, ends_on in list(kept_figures):
        NationalFigure.objects.filter(
            source_agency=duplicate,
            indicator=indicator,
            period_kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
        ).delete()
    NationalFigure.objects.filter(source_agency=duplicate).update(source_agency=keep)
    # The summary rows are rebuilt once the merge's writes move the data version on; until
    # then they name the organisation kept too.
    SummaryItem.objects.filter(owner_organisation=duplicate).update(owner_organisation=keep)
    # Trust stays with the organisation kept when either had it.
    if TrustedOrganisation.objects.filter(organisation=duplicate).exists():
        TrustedOrganisation.objects.filter(organisation=duplicate).delete()
        TrustedOrganisation.objects.get_or_create(organisation=keep)


def register_merge_handler() -> None:
    merging.register(
        _move_activity_references,
        covers=[
            (Award, "donor"),
            (Activity, "lead_organisation"),
            (ActivityOrganisation, "organisation"),
            (TrustedOrganisation, "organisation"),
            (OrganisationUpdate, "organisation"),
            (TrendNote, "source_organisation"),
            (NationalFigure, "source_agency"),
            (SummaryItem, "owner_organisation"),
        ],
    )
