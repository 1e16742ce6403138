"""What the secretariat enters for the dashboard: targets beside their figures, and the
national figures of the standing "state of trafficking" item."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from activities import dashboard_services, figures
from activities.dashboard_models import Indicator, NationalFigure, NationalIndicator, Target
from portal.lib.periods import Period
from portal.lib.sensitivity import Label
from portal.models import AuditEvent
from stakeholders.models import Role, User
from stakeholders.services import organisation_merge
from tests.activities.test_dashboard import World
from tests.stakeholders.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TIP_2023 = {"period": "tip", "year": "2023"}


@pytest.fixture
def world() -> World:
    return World()


def _target(world: World, indicator: str, value: int, group: str = "") -> Target:
    return Target.objects.create(
        indicator=indicator,
        target_group=group,
        value=value,
        period_kind="tip",
        starts_on=date(2023, 4, 1),
        ends_on=date(2024, 3, 31),
        created_by=world.secretariat,
    )


def _national(world: World, agency, value: int, year: int = 2023, **data):  # type: ignore[no-untyped-def]
    data.setdefault("label", Label.GREEN)
    data.setdefault("indicator", NationalIndicator.VICTIMS_IDENTIFIED)
    return NationalFigure.objects.create(
        source_agency=agency,
        value=value,
        period_kind="tip",
        starts_on=date(year, 4, 1),
        ends_on=date(year + 1, 3, 31),
        source=f"Annual report {year}",
        created_by=world.secretariat,
        **data,
    )


def test_a_target_is_shown_beside_its_figure_with_the_share_reached(world, client):
    _target(world, Indicator.MEETINGS_HELD, 4)
    _target(world, Indicator.PEOPLE_REACHED, 30, group="police")
    client.force_login(world.secretariat)
    response = client.get(reverse("dashboard"), TIP_2023)
    held = response.context["key_figures"]["meetings_held"]
    assert (held["value"], held["target"]) == (2, 4)
    body = response.content.decode()
    assert "Target: 4" in body and "50 % of it" in body
    groups = dict(response.context["tables"]["people_by_group"]["rows"])
    assert [target for row, target in groups.items() if row.code == "police"] == [30]


def test_targets_are_not_shown_when_a_filter_narrows_the_figures(world, client):
    _target(world, Indicator.MEETINGS_HELD, 4)
    client.force_login(world.secretariat)
    response = client.get(reverse("dashboard"), {**TIP_2023, "pillar": "prevention"})
    assert response.context["key_figures"]["meetings_held"]["target"] is None
    client.force_login(world.partner)  # a partner's figures are its organisation's
    response = client.get(reverse("dashboard"), TIP_2023)
    assert response.context["key_figures"]["meetings_held"]["target"] is None


def test_the_secretariat_sets_a_target_for_a_period(world, client):
    client.force_login(world.secretariat)
    response = client.post(
        reverse("dashboard_target_create"),
        {
            "indicator": "people_reached",
            "target_group": "judges",
            "period": "fy",
            "year": "2024",
            "value": "120",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.period.label, target.starts_on, target.ends_on) == (
        "FY2024",
        date(2023, 10, 1),
        date(2024, 9, 30),
    )
    assert AuditEvent.objects.filter(action="dashboard_target_saved").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"indicator": "attendance", "period": "year", "year": "2023", "value": "120"},
            "value",
            "at most 100",
        ),
        (
            {
                "indicator": "meetings_held",
                "target_group": "police",
                "period": "year",
                "year": "2023",
                "value": "3",
            },
            "target_group",
            "Only people reached",
        ),
        (
            {"indicator": "meetings_held", "period": "quarter", "year": "2023", "value": "3"},
            "period",
            "Choose a period",
        ),
        (
            {
                "indicator": "meetings_held",
                "period": "custom",
                "from": "2024-05-01",
                "to": "2024-01-01",
                "value": "3",
            },
            "period",
            "Choose a period",
        ),
        (
            {"indicator": "meetings_held", "period": "year", "year": "1900", "value": "3"},
            "year",
            "2000",
        ),
        (
            {"indicator": "meetings_held", "period": "year", "year": "2023", "value": "-1"},
            "value",
            "0",
        ),
    ],
)
def test_a_wrong_target_comes_back_with_its_error_and_nothing_is_saved(
    world, client, data, field, message
):
    client.force_login(world.secretariat)
    response = client.post(reverse("dashboard_target_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Target.objects.exists()


def test_a_second_target_for_the_same_figure_and_period_is_refused(world, client):
    _target(world, Indicator.MEETINGS_HELD, 4)
    client.force_login(world.secretariat)
    response = client.post(
        reverse("dashboard_target_create"),
        {"indicator": "meetings_held", "period": "tip", "year": "2023", "value": "5"},
    )
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors)
    assert Target.objects.get().value == 4


def test_a_target_edited_by_someone_else_meanwhile_is_not_overwritten(world, client):
    target = _target(world, Indicator.MEETINGS_HELD, 4)
    client.force_login(world.secretariat)
    form = {
        "indicator": "meetings_held",
        "period": "tip",
        "year": "2023",
        "version": target.version,
    }
    client.post(reverse("dashboard_target_edit", args=[target.pk]), {**form, "value": "6"})
    response = client.post(
        reverse("dashboard_target_edit", args=[target.pk]), {**form, "value": "9"}
    )
    assert response.status_code == 200
    assert response.context["conflict"]
    assert Target.objects.get().value == 6


def test_national_figures_of_the_period_are_shown_beside_a_year_earlier(world, client):
    ministry = OrganisationFactory(name="Ministry of Internal Affairs")
    _national(world, ministry, 120)
    _national(world, ministry, 95, year=2022)
    _national(world, ministry, 7, indicator=NationalIndicator.CONVICTIONS, year=2022)
    client.force_login(world.donor)
    response = client.get(reverse("dashboard"), TIP_2023)
    rows = response.context["national"]["table"].rows
    assert [(row.code, row.value["value"], row.value["earlier"]) for row in rows] == [
        ("victims_identified", 120, 95)
    ]
    assert "Annual report 2023" in response.content.decode()


def test_amber_national_figures_are_the_secretariats_and_the_source_agencys(world, client):
    _national(world, world.other_org, 12, label=Label.AMBER)
    for user, seen in ((world.secretariat, 1), (world.donor, 0), (world.partner, 0)):
        client.force_login(user)
        assert (
            len(client.get(reverse("dashboard"), TIP_2023).context["national"]["table"].rows)
            == seen
        )
        listed = client.get(reverse("national_figures"), TIP_2023).context["page"].paginator.count
        assert listed == seen
    colleague = UserFactory(role=Role.PARTNER, person__organisation=world.other_org)
    client.force_login(colleague)
    assert client.get(reverse("national_figures")).context["page"].paginator.count == 1


def test_the_national_figure_link_lists_the_figures_of_the_period(world, client):
    ministry = OrganisationFactory(name="Ministry of Internal Affairs")
    _national(world, ministry, 120)
    _national(world, ministry, 95, year=2022)
    client.force_login(world.donor)
    link = client.get(reverse("dashboard"), TIP_2023).context["national"]["link"]
    listed = client.get(link)
    assert [figure.value for figure in listed.context["page"].object_list] == [120]


def test_a_national_figure_is_counts_only(world, client):
    client.force_login(world.secretariat)
    data = {
        "indicator": "victims_assisted",
        "source_agency": world.other_org.pk,
        "period": "year",
        "year": "2023",
        "value": "31",
        "label": "green",
    }
    response = client.post(
        reverse("national_figure_create"),
        {**data, "source": "Shelter register: call +998 90 123 45 67 for names"},
    )
    assert response.status_code == 200
    assert "personal data" in str(response.context["form"].errors)
    assert not NationalFigure.objects.exists()
    response = client.post(
        reverse("national_figure_create"), {**data, "label": "red", "source": "Report"}
    )
    assert "label" in response.context["form"].errors
    response = client.post(
        reverse("national_figure_create"), {**data, "source": "Annual report 2023"}
    )
    assert response.status_code == 302
    assert NationalFigure.objects.get().value == 31


def test_a_merge_keeps_one_national_figure_per_agency_and_period(world):
    keep = OrganisationFactory(name="Ministry of Internal Affairs")
    duplicate = OrganisationFactory(name="MIA")
    _national(world, keep, 120)
    _national(world, duplicate, 118)
    _national(world, duplicate, 9, indicator=NationalIndicator.VICTIMS_REPATRIATED)
    organisation_merge(user=world.secretariat, duplicate=duplicate, keep=keep)
    assert sorted(
        NationalFigure.objects.filter(source_agency=keep).values_list("value", flat=True)
    ) == [9, 120]
    assert not NationalFigure.objects.filter(source_agency=duplicate).exists()


def test_the_demo_dashboard_of_2023_has_national_figures_and_targets(client):
    call_command("load_demo", "--force", verbosity=0)
    client.force_login(User.objects.get(email="donor@example.org"))
    response = client.get(reverse("dashboard"), {"period": "year", "year": "2023"})
    national = {row.code for row in response.context["national"]["table"].rows}
    # The amber figure of the Ministry of Foreign Affairs is not the donor's to read.
    assert national == {
        "victims_identified",
        "cases_investigated",
        "convictions",
        "victims_assisted",
    }
    assert response.context["key_figures"]["activities"]["target"] == 8
    identified = next(
        row
        for row in response.context["national"]["table"].rows
        if row.code == "victims_identified"
    )
    assert (identified.value["value"], identified.value["earlier"]) == (468, 412)


def test_a_duplicate_saved_meanwhile_is_refused_as_a_duplicate(world, monkeypatch):
    _target(world, Indicator.MEETINGS_HELD, 4)
    # As if another request saved the same target between the check and the save.
    monkeypatch.setattr(Target, "full_clean", lambda self, *args, **kwargs: None)
    with pytest.raises(ValidationError, match="already exists"):
        dashboard_services.target_save(
            user=world.secretariat,
            data={
                "indicator": "meetings_held",
                "period": Period("tip", date(2023, 4, 1), date(2024, 3, 31)),
                "value": 5,
            },
        )
    assert Target.objects.get().value == 4


def test_an_inactive_owner_has_no_link_its_filter_would_drop(world):
    world.other_org.is_active = False
    world.other_org.save()
    rows = {
        row.code: row
        for row in figures.items_by_owner(
            figures.scope_for(
                world.secretariat,
                Period("tip", date(2023, 4, 1), date(2024, 3, 31)),
                date(2026, 11, 28),
            )
        ).rows
    }
    assert rows[str(world.other_org.pk)].link == ""
    assert rows[str(world.partner_org.pk)].link
