from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from portal.lib.urls import record_url


def test_a_record_url_is_what_reverse_gives_under_any_script_prefix():
    for pk in (1, 42, 987654321, 10**12):
        assert record_url("stakeholders:person_detail", pk) == reverse(
            "stakeholders:person_detail", args=[pk]
        )
    set_script_prefix("/portal/")
    try:
        assert record_url("stakeholders:organisation_detail", 7) == (
            "/portal/directory/organisations/7/"
        )
    finally:
        set_script_prefix("/")


def test_the_record_url_tag_gives_what_the_url_tag_gives():
    rendered = Template(
        "{% load record_urls %}{% url 'meetings:agenda_item_move' pk %}|"
        "{% record_url 'meetings:agenda_item_move' pk %}"
    ).render(Context({"pk": 31}))

    url, record = rendered.split("|")
    assert record == url == "/meetings/agenda/31/move/"
