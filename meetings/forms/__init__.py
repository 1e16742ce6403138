"""The meetings' forms, one module per concern."""

from meetings.forms.agenda import (
    AgendaItemForm,
)
from meetings.forms.documents import DocumentEditForm, DocumentUploadForm
from meetings.forms.follow_up import (
    OVERDUE_CHOICES,
    ActionItemFilterForm,
    ActionItemForm,
    ActionItemStatusForm,
    DecisionForm,
)
from meetings.forms.invitations import (
    AnswerForm,
    InviteOrganisationForm,
    InvitePersonForm,
    RsvpAnswerForm,
    SubstituteForm,
)
from meetings.forms.letters import (
    DELEGATES_FROM_THE_LIST,
    DelegateChoiceField,
    DelegatesForm,
    LetterForm,
    LetterTemplateForm,
)
from meetings.forms.meetings import (
    FIRST_YEAR,
    LAST_YEAR,
    WHEN_CHOICES,
    LocalDateTimeField,
    MeetingFilterForm,
    MeetingForm,
    MonthForm,
    SeriesForm,
    TimeZoneField,
)
from meetings.forms.minutes import (
    MINUTES_TEXTS,
    MinutesCommentForm,
    MinutesCorrectionForm,
    MinutesForm,
    MinutesTextsMixin,
    StatementForm,
)
from meetings.forms.reminders import ReminderRuleForm

__all__ = [
    "DELEGATES_FROM_THE_LIST",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MINUTES_TEXTS",
    "OVERDUE_CHOICES",
    "WHEN_CHOICES",
    "ActionItemFilterForm",
    "ActionItemForm",
    "ActionItemStatusForm",
    "AgendaItemForm",
    "AnswerForm",
    "DecisionForm",
    "DelegateChoiceField",
    "DelegatesForm",
    "DocumentEditForm",
    "DocumentUploadForm",
    "InviteOrganisationForm",
    "InvitePersonForm",
    "LetterForm",
    "LetterTemplateForm",
    "LocalDateTimeField",
    "MeetingFilterForm",
    "MeetingForm",
    "MinutesCommentForm",
    "MinutesCorrectionForm",
    "MinutesForm",
    "MinutesTextsMixin",
    "MonthForm",
    "ReminderRuleForm",
    "RsvpAnswerForm",
    "SeriesForm",
    "StatementForm",
    "SubstituteForm",
    "TimeZoneField",
]
