from django.utils import translation

from portal.templatetags.numbers import grouped


def test_whole_numbers_are_grouped_as_the_readers_language_writes_them():
    with translation.override("en"):
        assert grouped(1250000) == "1,250,000"
    with translation.override("ru"):
        assert grouped(12500).replace("\xa0", " ") == "12 500"
    assert grouped(None) is None and grouped("—") == "—" and grouped(True) is True


def test_grouping_writes_what_djangos_number_format_writes_in_every_language():
    from django.utils.formats import number_format

    values = [0, 7, -7, 999, -999, 1000, -1000, 12500, 999999, 1000000, -1234567, 10**12]
    for language in ("en", "ru", "uz"):
        with translation.override(language):
            for value in values:
                assert grouped(value) == number_format(value, force_grouping=True), value
