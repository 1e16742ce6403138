from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("radar/", views.activity_radar, name="activity_radar"),
    path("trusted/", views.trusted_organisations, name="trusted_organisations"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_open, name="call_open"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/nothing-new/", views.call_nothing_new, name="call_nothing_new"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/new/", views.award_create, name="award_create"),
    path("awards/<int:pk>/edit/", views.award_edit, name="award_edit"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/participants/", views.activity_participants, name="activity_participants"),
    path("<int:pk>/submit/", views.activity_submit, name="activity_submit"),
    path("<int:pk>/approve/", views.activity_approve, name="activity_approve"),
    path("<int:pk>/return/", views.activity_return, name="activity_return"),
    path("<int:pk>/evidence/new/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("revisions/<int:pk>/approve/", views.revision_approve, name="revision_approve"),
    path("revisions/<int:pk>/return/", views.revision_return, name="revision_return"),
    path("revisions/<int:pk>/withdraw/", views.revision_withdraw, name="revision_withdraw"),
]
