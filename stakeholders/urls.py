from django.urls import path

from stakeholders import account_views, import_views, views

app_name = "stakeholders"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "organisations/choices.json",
        views.organisation_choices,
        name="organisation_choices",
    ),
    path(
        "organisations/export.<str:fmt>",
        import_views.organisation_export,
        name="organisation_export",
    ),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/active/",
        views.organisation_set_active,
        name="organisation_set_active",
    ),
    path("organisations/<int:pk>/merge/", views.organisation_merge, name="organisation_merge"),
    path("people/", views.person_list, name="person_list"),
    path("people/choices.json", views.person_choices, name="person_choices"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/export.<str:fmt>", import_views.person_export, name="person_export"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
    path("people/<int:pk>/anonymise/", views.person_anonymise, name="person_anonymise"),
    path("people/<int:pk>/access/", account_views.person_grant_access, name="person_grant_access"),
    path("users/", account_views.user_list, name="user_list"),
    path("users/export.csv", account_views.user_export, name="user_export"),
    path("users/<int:pk>/role/", account_views.user_change_role, name="user_change_role"),
    path("users/<int:pk>/active/", account_views.user_set_active, name="user_set_active"),
    path("audit/", account_views.audit_list, name="audit_list"),
    path("import/batch/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/batch/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path(
        "import/<str:kind>/template.<str:fmt>",
        import_views.import_template,
        name="import_template",
    ),
    path("import/<str:kind>/", import_views.import_upload, name="import_upload"),
]
