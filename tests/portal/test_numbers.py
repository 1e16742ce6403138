from django.utils import translation

from portal.templatetags.numbers import grouped


def test_whole_numbers_are_grouped_as_the_readers_language_writes_them():
    with translation.override("en"):
        assert grouped(1250000) == "1,250,000"
    with translation.override("ru"):
        assert grouped(12500).replace("\xa0", " ") == "12 500"
    assert grouped(None) is None and grouped("—") == "—" and grouped(True) is True
