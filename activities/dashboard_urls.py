"""The dashboard and what the secretariat enters for it, under /dashboard/."""

from django.urls import path

from activities import dashboard_entry_views, dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("targets/", dashboard_entry_views.target_list, name="dashboard_targets"),
    path("targets/new/", dashboard_entry_views.target_create, name="dashboard_target_create"),
    path("targets/<int:pk>/", dashboard_entry_views.target_edit, name="dashboard_target_edit"),
    path(
        "targets/<int:pk>/delete/",
        dashboard_entry_views.target_delete,
        name="dashboard_target_delete",
    ),
    path("national-figures/", dashboard_entry_views.national_figure_list, name="national_figures"),
    path(
        "national-figures/new/",
        dashboard_entry_views.national_figure_create,
        name="national_figure_create",
    ),
    path(
        "national-figures/<int:pk>/",
        dashboard_entry_views.national_figure_edit,
        name="national_figure_edit",
    ),
    path(
        "national-figures/<int:pk>/delete/",
        dashboard_entry_views.national_figure_delete,
        name="national_figure_delete",
    ),
]
