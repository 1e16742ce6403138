from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/next/", views.meeting_next, name="meeting_next"),
    path("<int:pk>/status/", views.meeting_set_status, name="meeting_set_status"),
    path("<int:pk>/agenda/new/", views.agenda_item_create, name="agenda_item_create"),
    path("<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("<int:pk>/action-items/new/", views.action_item_create, name="action_item_create"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("action-items/", views.action_item_list, name="action_item_list"),
    path("action-items/export.<str:fmt>", views.action_item_export, name="action_item_export"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action_item_detail"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("action-items/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("<int:pk>/sign-in-sheet/", views.meeting_sign_in_sheet, name="meeting_sign_in_sheet"),
    path("agenda/<int:pk>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path("agenda/<int:pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path("agenda/<int:pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("invitations/<int:pk>/answer/", views.invitation_answer, name="invitation_answer"),
    path("invitations/<int:pk>/remove/", views.invitation_remove, name="invitation_remove"),
    path(
        "invited-organisations/<int:pk>/refresh/",
        views.organisation_invitation_refresh,
        name="organisation_invitation_refresh",
    ),
    path(
        "invited-organisations/<int:pk>/remove/",
        views.organisation_invitation_remove,
        name="organisation_invitation_remove",
    ),
    path(
        "invited-organisations/<int:pk>/letter/",
        views.organisation_invitation_letter,
        name="organisation_invitation_letter",
    ),
    path(
        "invited-organisations/<int:pk>/delegates/",
        views.organisation_invitation_delegates,
        name="organisation_invitation_delegates",
    ),
    path(
        "invited-organisations/<int:pk>/decline/",
        views.organisation_invitation_decline,
        name="organisation_invitation_decline",
    ),
    path("letter-templates/", views.letter_templates, name="letter_templates"),
    path(
        "letter-templates/<str:language>/",
        views.letter_template_download,
        name="letter_template_download",
    ),
    path(
        "letter-templates/<str:language>/reset/",
        views.letter_template_reset,
        name="letter_template_reset",
    ),
    path("rsvp/<str:token>/", views.rsvp, name="rsvp"),
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path(
        "series/<int:pk>/standing-invitees/",
        views.series_standing_invitees,
        name="series_standing_invitees",
    ),
]
