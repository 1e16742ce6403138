"""Uploading a meeting document and changing its details."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.forms.letters import DelegateChoiceField
from meetings.models import AgendaItem, Document, DocumentKind, Meeting
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.sensitivity import Label
from portal.lib.uploads import accepted_types_text, max_upload_bytes
from portal.lib.versions import VersionField
from stakeholders.models import Person


class AgendaItemChoiceField(forms.ModelChoiceField[AgendaItem]):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.position}. {obj.local_title}"


class DocumentDetailsForm(PersonalDataCheckMixin, forms.Form):
    """What a document is and who reads it."""

    personal_data_fields = ("title",)
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    agenda_item = AgendaItemChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The meeting as a whole"),
    )
    label = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=Label.choices,
        initial=Label.AMBER,
        help_text=_(
            "Participating organisations: the meeting's invitees and your organisation. "
            "Named people only: the people ticked below."
        ),
    )
    named_people = DelegateChoiceField(
        label=_("Named people"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For a document for named people only: the invitees who read it."),
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        agenda_items: list[AgendaItem],
        whole_meeting: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agenda = cast(AgendaItemChoiceField, self.fields["agenda_item"])
        agenda.queryset = AgendaItem.objects.filter(pk__in=[item.pk for item in agenda_items])
        agenda.queryset = agenda.queryset.order_by("position")
        if not whole_meeting:
            # A partner uploads to the agenda items its organisation presents.
            agenda.required = True
            agenda.empty_label = None
        named = cast(DelegateChoiceField, self.fields["named_people"])
        named.queryset = (
            Person.objects.filter(invitations__meeting=meeting).distinct().order_by("full_name")
        )


class DocumentUploadForm(DocumentDetailsForm):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"}),
    )
    field_order = ["file", "title", "kind", "agenda_item", "label", "named_people"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Left empty: the file's name.")
        self.fields["file"].help_text = _("%(types)s, up to %(size)s MB.") % {
            "types": accepted_types_text(),
            "size": max_upload_bytes() // (1024 * 1024),
        }


class DocumentEditForm(DocumentDetailsForm):
    version = VersionField()

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": document.title,
                "kind": document.kind,
                "agenda_item": document.agenda_item,
                "label": document.label,
                "named_people": list(document.named_people.all()),
                "version": document.version,
            },
        )
        super().__init__(*args, **kwargs)
