"""`{% record_url "meetings:agenda_item_edit" item.pk %}`: what `{% url %}` gives for a
pattern whose only argument is a record's pk, for the rows of long lists, where reverse()
for every row costs more than the row (portal.lib.urls)."""

from django import template

from portal.lib import urls

register = template.Library()


@register.simple_tag
def record_url(name: str, pk: int) -> str:
    return urls.record_url(name, pk)
