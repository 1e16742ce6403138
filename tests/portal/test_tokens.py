"""SecretToken: hashes only, expiry, revocation, single use by a conditional update."""

import pytest
from django.db import IntegrityError, transaction

from portal.lib.tokens import TokenState, hash_token
from stakeholders.models import AccountLink
from tests.stakeholders.factories import UserFactory
from tests.standin.models import FeedToken, OneTimeToken

pytestmark = pytest.mark.django_db


def test_it_stores_only_the_hash_and_finds_the_token_by_its_secret():
    token, secret = FeedToken.objects.issue(user=UserFactory())

    assert token.token_hash == hash_token(secret)
    assert secret not in str(FeedToken.objects.values().get())
    assert FeedToken.objects.find(secret) == token
    assert FeedToken.objects.find("not-the-secret") is None
    assert FeedToken.objects.find("x" * 10_000) is None


def test_a_reusable_kind_has_several_live_tokens_and_records_each_use():
    user = UserFactory()
    first, _ = FeedToken.objects.issue(user=user)
    second, _ = FeedToken.objects.issue(user=user)

    assert set(FeedToken.objects.filter(user=user).live()) == {first, second}
    assert first.use() and first.use()
    first.refresh_from_db()
    assert first.last_used_at is not None
    assert first.state() == TokenState.VALID


def test_a_single_use_token_is_spent_by_exactly_one_use():
    token, _ = OneTimeToken.objects.issue(user=UserFactory())
    stale = OneTimeToken.objects.get(pk=token.pk)

    assert token.use() is True
    assert stale.use() is False
    token.refresh_from_db()
    assert token.state() == TokenState.USED
    assert not OneTimeToken.objects.live().exists()


def test_revoked_and_expired_tokens_open_nothing(time_machine):
    time_machine.move_to("2026-01-01 09:00Z")
    user = UserFactory()
    revoked, _ = FeedToken.objects.issue(user=user)
    FeedToken.objects.filter(pk=revoked.pk).revoke()
    expiring, _ = FeedToken.objects.issue(user=user, valid_for=FeedToken.VALID_FOR)

    time_machine.shift(FeedToken.VALID_FOR)

    revoked.refresh_from_db()
    assert revoked.state() == TokenState.REVOKED
    assert expiring.state() == TokenState.EXPIRED
    assert not FeedToken.objects.live().exists()
    assert FeedToken.objects.filter(user=user).revoke() == 1  # the one not revoked yet


def test_account_links_are_single_use_and_one_live_per_account_and_purpose():
    user = UserFactory()
    first, _ = AccountLink.objects.issue(
        user=user, purpose=AccountLink.Purpose.INVITATION, role=user.role
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        AccountLink.objects.issue(user=user, purpose=AccountLink.Purpose.INVITATION, role=user.role)

    AccountLink.objects.filter(pk=first.pk).revoke()
    second, _ = AccountLink.objects.issue(
        user=user, purpose=AccountLink.Purpose.INVITATION, role=user.role
    )
    assert list(AccountLink.objects.live()) == [second]
