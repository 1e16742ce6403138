import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal.models import AuditEvent, OutboundEmail
from stakeholders import accounts, services
from stakeholders.audit import Action
from stakeholders.models import (
    AccountLink,
    ImportBatch,
    Language,
    MechanismRole,
    PasswordResetRequest,
    Person,
    Role,
    User,
)
from tests.stakeholders.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quarterly-coordination-2026"


def link_path(message) -> str:
    link = re.search(r"https?://\S+/accounts/password/set/\S+/", message.body).group(0)
    return "/" + link.split("/", 3)[3]


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (sending the queued email) as a real commit would."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def grant(client, person, role=Role.PARTNER):
    with _capture(execute=True):
        return client.post(
            reverse("stakeholders:person_grant_access", args=[person.pk]), {"role": role}
        )


def invite(**kwargs):
    with _capture(execute=True):
        return accounts.account_invite(**kwargs)


def set_password(client, path, password=NEW_PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})


@pytest.fixture
def invited(client, secretariat_user, mailoutbox):
    """A person granted partner access by the secretariat, and the path of their link."""
    person = PersonFactory(email="new.partner@example.org")
    client.force_login(secretariat_user)
    grant(client, person)
    client.logout()
    return person, link_path(mailoutbox[-1])


# Granting access and the set-password flow


def test_granting_access_creates_the_account_and_emails_a_link_in_the_persons_language(
    client, secretariat_user, mailoutbox
):
    person = PersonFactory(email="karimova@example.org", preferred_language=Language.RUSSIAN)
    client.force_login(secretariat_user)

    response = grant(client, person, Role.DONOR)

    assert response.status_code == 302
    account = User.objects.get(person=person)
    assert account.role == Role.DONOR
    assert account.email == "karimova@example.org"
    assert not account.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["karimova@example.org"]
    with translation.override("ru"):
        russian_subject = gettext("Your access to the Coordination Portal")
    assert russian_subject != "Your access to the Coordination Portal"
    assert mailoutbox[0].subject == russian_subject
    invitation = AccountLink.objects.get(user=account)
    assert invitation.invited_by == secretariat_user
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(
        seconds=1
    )
    token = link_path(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert OutboundEmail.objects.get().state == OutboundEmail.State.SENT


def test_a_valid_link_sets_the_password_logs_in_and_works_once(client, invited):
    person, path = invited

    assert "Choose your password" in client.get(path).content.decode()
    response = set_password(client, path)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).url == reverse("partner_home")
    account = User.objects.get(person=person)
    assert account.check_password(NEW_PASSWORD)
    again = Client().get(path)
    assert again.status_code == 410
    assert "has been used already" in again.content.decode()


def test_the_new_password_must_pass_the_validators(client, invited):
    person, path = invited

    response = set_password(client, path, "short")

    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.get(person=person).has_usable_password()
    assert set_password(client, path).status_code == 302


def test_an_expired_link_says_so_and_whom_to_ask(client, invited, secretariat_user, time_machine):
    _person, path = invited
    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=1))

    response = client.get(path)

    assert response.status_code == 410
    content = response.content.decode()
    assert "This link has expired" in content
    assert secretariat_user.email in content
    assert set_password(client, path).status_code == 410


def test_a_tampered_link_is_not_valid(client, invited):
    _person, path = invited
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    response = client.get(tampered)

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_a_resent_invitation_revokes_the_older_link(client, invited, secretariat_user, mailoutbox):
    person, old_path = invited
    client.force_login(secretariat_user)
    grant(client, person)
    new_path = link_path(mailoutbox[-1])
    client.logout()

    response = client.get(old_path)

    assert response.status_code == 410
    assert "This link has been replaced" in response.content.decode()
    assert set_password(client, new_path).status_code == 302


def test_an_expired_invitation_can_be_resent(
    client, invited, secretariat_user, mailoutbox, time_machine
):
    person, _path = invited
    time_machine.move_to(timezone.now() + timedelta(days=8))
    client.force_login(secretariat_user)

    grant(client, person)
    client.logout()

    assert set_password(client, link_path(mailoutbox[-1])).status_code == 302


# Who may invite whom


@pytest.fixture
def focal_point(db):
    return UserFactory(role=Role.PARTNER, person__mechanism_role=MechanismRole.FOCAL_POINT)


def test_a_focal_point_invites_a_colleague_as_partner(client, focal_point, mailoutbox):
    colleague = PersonFactory(organisation=focal_point.person.organisation)
    client.force_login(focal_point)

    grant(client, colleague, Role.PARTNER)

    account = User.objects.get(person=colleague)
    assert account.role == Role.PARTNER
    assert account.account_links.get().invited_by == focal_point
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DONOR])
def test_a_focal_point_cannot_invite_above_partner_even_with_a_forged_form(
    client, focal_point, role, mailoutbox
):
    colleague = PersonFactory(organisation=focal_point.person.organisation)
    client.force_login(focal_point)

    grant(client, colleague, role)

    assert not User.objects.filter(person=colleague).exists()
    assert mailoutbox == []
    with pytest.raises(PermissionDenied):
        accounts.account_invite(actor=focal_point, person=colleague, role=role)


def test_a_focal_point_cannot_invite_into_another_organisation(client, focal_point):
    stranger = PersonFactory()
    client.force_login(focal_point)

    response = grant(client, stranger)

    assert response.status_code == 404
    assert not User.objects.filter(person=stranger).exists()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DONOR])
def test_a_non_focal_partner_and_a_donor_cannot_invite(client, role):
    actor = UserFactory(role=role)
    colleague = PersonFactory(organisation=actor.person.organisation)
    client.force_login(actor)

    response = grant(client, colleague)

    assert response.status_code in {403, 404}
    assert not User.objects.filter(person=colleague).exists()


def test_the_secretariat_sees_who_invited_whom(client, focal_point, secretariat_user):
    colleague = PersonFactory(organisation=focal_point.person.organisation)
    invite(actor=focal_point, person=colleague, role=Role.PARTNER)
    client.force_login(secretariat_user)

    page = client.get(colleague.get_absolute_url()).content.decode()

    assert f"invited by {focal_point.display_name}" in page
    assert "Invitation sent" in page


def test_an_email_already_used_by_another_account_is_refused_with_a_message(
    client, secretariat_user
):
    UserFactory(email="shared@example.org", person__email="other@example.org")
    person = PersonFactory(email="Shared@example.org")
    client.force_login(secretariat_user)

    response = grant(client, person)

    assert not User.objects.filter(person=person).exists()
    page = client.get(response.url).content.decode()
    assert "already used by another account" in page


def test_a_person_without_an_email_cannot_be_invited(secretariat_user):
    person = PersonFactory(email="")

    with pytest.raises(ValidationError):
        accounts.account_invite(actor=secretariat_user, person=person, role=Role.PARTNER)


# Changing and ending access


def test_deactivation_deletes_the_sessions_and_the_old_cookie_lands_on_login(
    client, secretariat_user
):
    partner = UserFactory(role=Role.PARTNER)
    partner_client = Client()
    partner_client.post(reverse("login"), {"username": partner.email, "password": PASSWORD})
    assert partner_client.get(reverse("partner_home")).status_code == 200
    client.force_login(secretariat_user)

    client.post(reverse("stakeholders:user_set_active", args=[partner.pk]), {"active": "0"})

    partner.refresh_from_db()
    assert partner.is_active is False
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(partner.pk) for s in Session.objects.all()
    )
    response = partner_client.get(reverse("partner_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert partner.person.__class__.objects.filter(pk=partner.person.pk).exists()


def test_a_role_change_logs_the_user_out_and_applies_at_the_next_login(client, secretariat_user):
    colleague = UserFactory(role=Role.SECRETARIAT)
    colleague_client = Client()
    colleague_client.force_login(colleague)
    assert colleague_client.get(reverse("secretariat_home")).status_code == 200
    client.force_login(secretariat_user)

    client.post(
        reverse("stakeholders:user_change_role", args=[colleague.pk]), {"role": Role.PARTNER}
    )

    response = colleague_client.get(reverse("secretariat_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    colleague_client.force_login(colleague)
    assert colleague_client.get(reverse("secretariat_home")).status_code == 403
    assert colleague_client.get(reverse("partner_home")).status_code == 200
    event = AuditEvent.objects.get(action=Action.ROLE_CHANGED)
    assert event.actor == secretariat_user
    assert event.details == {"from": "secretariat", "to": "partner"}


def test_the_last_active_secretariat_account_cannot_be_deactivated_or_demoted(
    client, secretariat_user
):
    client.force_login(secretariat_user)

    client.post(reverse("stakeholders:user_set_active", args=[secretariat_user.pk]))
    client.post(
        reverse("stakeholders:user_change_role", args=[secretariat_user.pk]),
        {"role": Role.DONOR},
    )

    secretariat_user.refresh_from_db()
    assert secretariat_user.is_active and secretariat_user.role == Role.SECRETARIAT
    with pytest.raises(ValidationError):
        accounts.account_set_active(actor=secretariat_user, user=secretariat_user, active=False)


def test_only_the_secretariat_changes_roles(partner_user):
    with pytest.raises(PermissionDenied):
        accounts.account_change_role(actor=partner_user, user=partner_user, role=Role.SECRETARIAT)


def test_a_deactivated_account_can_be_granted_again_with_a_new_link(
    client, secretariat_user, mailoutbox
):
    partner = UserFactory(role=Role.PARTNER)
    accounts.account_set_active(actor=secretariat_user, user=partner, active=False)
    client.force_login(secretariat_user)

    grant(client, partner.person)
    client.logout()

    partner.refresh_from_db()
    assert partner.is_active and not partner.has_usable_password()
    assert set_password(client, link_path(mailoutbox[-1])).status_code == 302


# The users page, the profile and the audit trail


def test_the_users_page_lists_accounts_with_filters_and_pending_invitations(
    client, secretariat_user, invited, django_assert_max_num_queries
):
    donor = UserFactory(role=Role.DONOR)
    client.force_login(secretariat_user)

    with django_assert_max_num_queries(5):
        page = client.get(reverse("stakeholders:user_list")).content.decode()
    assert "invitation pending" in page
    assert donor.email in page
    filtered = client.get(reverse("stakeholders:user_list"), {"role": Role.DONOR}).content.decode()
    assert donor.email in filtered
    assert "new.partner@example.org" not in filtered


def test_the_users_export_is_a_csv_of_the_filtered_accounts(client, secretariat_user):
    UserFactory(role=Role.DONOR, email="donor.person@example.org", person__email="x@example.org")
    client.force_login(secretariat_user)

    response = client.get(reverse("stakeholders:user_export"), {"role": Role.DONOR})

    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert content.splitlines()[0].startswith("email,full_name,organisation,role")
    assert "donor.person@example.org" in content
    assert secretariat_user.email not in content


def test_the_profile_changes_language_and_email_choices(client, partner_user):
    client.force_login(partner_user)

    response = client.post(
        reverse("profile"),
        {"preferred_language": "uz", "email_meeting_reminders": "on"},
    )

    assert response.status_code == 302
    partner_user.person.refresh_from_db()
    assert partner_user.person.preferred_language == "uz"
    assert partner_user.person.email_meeting_reminders is True
    assert partner_user.person.email_action_item_reminders is False
    page = client.get(reverse("profile")).content.decode()
    assert partner_user.person.organisation.name in page


def test_logins_and_failed_logins_are_audited_without_secrets(client):
    user = UserFactory(email="audited@example.org")

    client.post(
        reverse("login"),
        {"username": user.email, "password": "wrong-password-1"},
        REMOTE_ADDR="10.1.2.3",
    )
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})

    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.details == {"email": "audited@example.org"}
    assert failed.ip_address == "10.1.2.3"
    assert AuditEvent.objects.get(action=Action.LOGIN).actor == user
    assert "wrong-password-1" not in str(list(AuditEvent.objects.values()))


def test_granting_access_records_no_token_in_the_audit_trail(client, invited):
    _person, path = invited
    token = path.rstrip("/").rsplit("/", 1)[1]

    assert token not in str(list(AuditEvent.objects.values()))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.ACCESS_GRANTED, Action.INVITATION_SENT} <= actions


def test_the_audit_trail_filters_by_event(client, secretariat_user, invited):
    client.force_login(secretariat_user)

    response = client.get(reverse("stakeholders:audit_list"), {"action": "invitation_sent"})

    events = list(response.context["page"].object_list)
    assert events and all(e.action == "invitation_sent" for e in events)


def test_audit_events_are_append_only(invited):
    event = AuditEvent.objects.first()
    event.details = {"changed": True}

    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_deactivating_a_person_ends_their_access(client, secretariat_user):
    partner = UserFactory(role=Role.PARTNER)
    client.force_login(secretariat_user)

    client.post(
        reverse("stakeholders:person_set_active", args=[partner.person.pk]), {"active": "0"}
    )

    partner.refresh_from_db()
    assert partner.is_active is False
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DEACTIVATED).exists()


def test_the_last_secretariat_person_cannot_be_deactivated(client, secretariat_user):
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:person_set_active", args=[secretariat_user.person.pk]),
        {"active": "0"},
        follow=True,
    )

    secretariat_user.refresh_from_db()
    secretariat_user.person.refresh_from_db()
    assert secretariat_user.is_active and secretariat_user.person.is_active
    assert "last active secretariat account" in response.content.decode()


def test_a_focal_point_sees_the_pending_invitation_of_a_colleague(client, focal_point):
    colleague = PersonFactory(organisation=focal_point.person.organisation)
    invite(actor=focal_point, person=colleague, role=Role.PARTNER)
    client.force_login(focal_point)

    page = client.get(colleague.get_absolute_url()).content.decode()

    assert "Invited, no password yet" in page
    assert "Send a new invitation" in page
    assert "Access history" not in page


def test_english_dates_are_written_day_first(client, secretariat_user, invited):
    client.force_login(secretariat_user)
    invitation = AccountLink.objects.get()

    page = client.get(reverse("stakeholders:user_list")).content.decode()
    person_page = client.get(invitation.user.person.get_absolute_url()).content.decode()

    assert timezone.localtime(invitation.created_at).strftime("%d.%m.%Y") in person_page
    assert "a.m." not in page + person_page


def test_a_focal_point_cannot_restore_access_the_secretariat_ended(
    client, focal_point, secretariat_user
):
    colleague = PersonFactory(organisation=focal_point.person.organisation)
    invite(actor=focal_point, person=colleague, role=Role.PARTNER)
    account = User.objects.get(person=colleague)
    accounts.account_set_active(actor=secretariat_user, user=account, active=False)
    client.force_login(focal_point)

    page = client.get(colleague.get_absolute_url()).content.decode()
    grant(client, colleague)

    assert "Send a new invitation" not in page
    account.refresh_from_db()
    assert account.is_active is False
    fresh = Person.objects.get(pk=colleague.pk)  # the account as it is now
    with pytest.raises(PermissionDenied):
        accounts.account_invite(actor=focal_point, person=fresh, role=Role.PARTNER)


def test_deactivating_a_person_through_an_update_ends_their_access(secretariat_user):
    partner = UserFactory(role=Role.PARTNER)

    services.person_update(user=secretariat_user, person=partner.person, data={"is_active": False})

    partner.refresh_from_db()
    assert partner.is_active is False
    with pytest.raises(ValidationError):
        accounts.account_set_active(actor=secretariat_user, user=partner, active=True)


def test_a_new_email_revokes_links_sent_to_the_old_one(client, invited, secretariat_user):
    person, path = invited

    services.person_update(
        user=secretariat_user, person=person, data={"email": "moved@example.org"}
    )

    assert User.objects.get(person=person).email == "moved@example.org"
    assert client.get(path).status_code == 410


def test_a_sent_email_keeps_no_link(invited):
    _person, path = invited
    email = OutboundEmail.objects.get()

    assert email.state == OutboundEmail.State.SENT
    assert email.body == "" and email.html_body == ""
    assert path.rsplit("/", 2)[1] not in str(list(OutboundEmail.objects.values()))


def test_anonymising_also_forgets_the_person_in_the_audit_trail_outbox_and_imports(
    client, secretariat_user, invited
):
    person, path = invited
    set_password(client, path)
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": person.email, "password": "wrong-password"})
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.PEOPLE,
        file_name="people.csv",
        rows=[{"full_name": person.full_name, "email": person.email.upper()}],
        uploaded_by=secretariat_user,
    )
    name, email = person.full_name, person.email
    client.post(reverse("password_reset"), {"email": email})

    services.person_anonymise(user=secretariat_user, person=person)

    assert not PasswordResetRequest.objects.exists()
    trail = str(list(AuditEvent.objects.values()))
    assert name not in trail and email not in trail
    assert email not in str(list(OutboundEmail.objects.values()))
    batch.refresh_from_db()
    assert batch.rows == [] and batch.status == ImportBatch.Status.DISCARDED


def test_the_link_opens_in_the_language_the_email_was_written_in(
    client, secretariat_user, mailoutbox
):
    person = PersonFactory(email="uz.reader@example.org", preferred_language=Language.UZBEK)
    client.force_login(secretariat_user)
    grant(client, person)
    client.logout()

    response = client.get(link_path(mailoutbox[-1]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.headers["Content-Language"] == "uz"
    with translation.override("uz"):
        assert gettext("Choose your password") in response.content.decode()


def test_anonymising_is_recorded_without_the_forgotten_name(client, secretariat_user):
    person = PersonFactory(full_name="Forget Me Too")
    client.force_login(secretariat_user)

    client.post(reverse("stakeholders:person_anonymise", args=[person.pk]))

    event = AuditEvent.objects.get(action=Action.PERSON_ANONYMISED)
    assert event.actor == secretariat_user
    assert "Forget Me Too" not in event.target_label


def test_a_focal_point_does_not_learn_whether_an_address_has_an_account(
    client, focal_point, mailoutbox
):
    elsewhere = UserFactory(email="someone@example.org")
    elsewhere.person.is_active = False
    elsewhere.person.save()
    colleague = PersonFactory(
        organisation=focal_point.person.organisation, email="someone@example.org"
    )
    client.force_login(focal_point)

    response = grant(client, colleague, Role.PARTNER)

    page = client.get(response.url).content.decode()
    assert "This person cannot be invited with this email address. Ask the secretariat." in page
    assert "already used by another account" not in page
    assert mailoutbox == []


def test_a_partner_saving_a_taken_email_gets_a_neutral_message(client, focal_point):
    PersonFactory(email="taken@example.org")
    colleague = PersonFactory(organisation=focal_point.person.organisation)
    client.force_login(focal_point)
    url = reverse("stakeholders:person_edit", args=[colleague.pk])

    response = client.post(
        url,
        {
            "full_name": colleague.full_name,
            "email": "taken@example.org",
            "preferred_language": "en",
            "version": colleague.version,
        },
    )

    assert response.context["form"].errors["email"] == [
        "This email address cannot be used here; if it is right, ask the secretariat."
    ]


@pytest.mark.parametrize("params", [{"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}])
def test_the_audit_trail_drops_dates_it_cannot_bound(client, secretariat_user, params):
    client.force_login(secretariat_user)

    response = client.get(reverse("stakeholders:audit_list"), params)

    assert response.status_code == 200


def test_anonymising_discards_a_queued_import_that_names_the_person(secretariat_user):
    person = PersonFactory(full_name="Laylo Tursunova", email="")
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.PEOPLE,
        file_name="people.csv",
        rows=[{"_row": "2", "full_name": "laylo tursunova", "organisation": "X"}],
        uploaded_by=secretariat_user,
        status=ImportBatch.Status.QUEUED,
    )

    services.person_anonymise(user=secretariat_user, person=person)

    batch.refresh_from_db()
    assert (batch.status, batch.rows) == (ImportBatch.Status.DISCARDED, [])
