from django.urls import path

from activities import trend_views, views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("radar/", views.activity_radar, name="activity_radar"),
    path("trends/", trend_views.trend_board, name="trend_board"),
    path("trends/list/", trend_views.trend_list, name="trend_list"),
    path("trends/new/", trend_views.trend_create, name="trend_create"),
    path("trends/<int:pk>/", trend_views.trend_detail, name="trend_detail"),
    path("trends/<int:pk>/edit/", trend_views.trend_edit, name="trend_edit"),
    path("trends/<int:pk>/status/", trend_views.trend_status, name="trend_status"),
    path("trends/<int:pk>/responses/", trend_views.trend_response_add, name="trend_response_add"),
    path(
        "trend-responses/<int:pk>/delete/",
        trend_views.trend_response_remove,
        name="trend_response_remove",
    ),
    path("<int:pk>/trends/", trend_views.activity_trend_add, name="activity_trend_add"),
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
