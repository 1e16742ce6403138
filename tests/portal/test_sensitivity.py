import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation

from portal.lib.sensitivity import Label, check_named_people, readable, tlp_code
from tests.stakeholders.factories import OrganisationFactory, PersonFactory
from tests.standin.models import Note

pytestmark = pytest.mark.django_db

# Readers: the secretariat; a user of the record's organisation; a user of another
# organisation; a person the record names (of another organisation); a visitor.
SEC, OWN, OTHER, NAMED, VISITOR = "secretariat", "own", "other", "named", "visitor"
# fmt: off
EXPECTED = {
    #            SEC    OWN    OTHER  NAMED  VISITOR
    Label.CLEAR: (True, True,  True,  True,  True),
    Label.GREEN: (True, True,  True,  True,  False),
    Label.AMBER: (True, True,  False, False, False),
    Label.RED:   (True, False, False, True,  False),
}
# fmt: on


@pytest.mark.parametrize("label", list(EXPECTED))
def test_who_reads_a_record_by_its_label(label):
    own_org, other_org = OrganisationFactory(), OrganisationFactory()
    named = PersonFactory(organisation=other_org)
    note = Note.objects.create(organisation=own_org, text="x", label=label)
    note.named_people.add(named)

    def reads(reader: str) -> bool:
        organisation = {OWN: own_org, OTHER: other_org, NAMED: other_org}.get(reader)
        person_id = named.pk if reader == NAMED else PersonFactory().pk
        q = readable(
            Note,
            sees_all=reader == SEC,
            portal_user=reader != VISITOR,
            organisations=Q(organisation=organisation) if organisation else None,
            person_id=person_id if reader != VISITOR else None,
        )
        return Note.objects.filter(q).exists()

    assert tuple(reads(r) for r in (SEC, OWN, OTHER, NAMED, VISITOR)) == EXPECTED[label]


def test_a_red_record_must_name_someone():
    with pytest.raises(ValidationError):
        check_named_people(Label.RED, [])
    check_named_people(Label.RED, [object()])
    check_named_people(Label.AMBER, [])


def test_labels_read_in_plain_words_with_the_tlp_code():
    with translation.override("en"):
        assert [str(label.label) for label in Label] == [
            "Public",
            "All portal users",
            "Participating organisations",
            "Named people only",
        ]
    assert tlp_code(Label.AMBER) == "TLP:AMBER"
    with translation.override("ru"):
        assert str(Label.AMBER.label) != "Participating organisations"
