from django import forms

from portal.lib.forms import PlainSelect


def test_a_plain_select_renders_like_djangos_and_escapes_its_choices():
    choices = [("", "All"), ("a&b", "<Ampersand>"), ("uz", "Oʻzbekiston")]
    plain = PlainSelect(attrs={"class": "form-select", "id": "id_x"}, choices=choices)
    django = forms.Select(attrs={"class": "form-select", "id": "id_x"}, choices=choices)

    html = plain.render("x", "uz")

    assert html == (
        '<select name="x" class="form-select" id="id_x"><option value="">All</option>'
        '<option value="a&amp;b">&lt;Ampersand&gt;</option>'
        '<option value="uz" selected>Oʻzbekiston</option></select>'
    )
    assert "".join(django.render("x", "uz").split()) == "".join(html.split())
