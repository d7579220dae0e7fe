from django.urls import path

from members import dues_views, views, views_access_log, views_roster

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="list"),
    path("new/", views.MemberCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MemberUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.MemberDeleteView.as_view(), name="delete"),
    path("access-log/", views_access_log.PersonalDataAccessListView.as_view(), name="access_log"),
    path("dues/arrears/", dues_views.DuesArrearsView.as_view(), name="dues_arrears"),
    path("export/", views_roster.RosterExportView.as_view(), name="export"),
    path("exports/", views_roster.RosterExportListView.as_view(), name="export_list"),
    path("export/<uuid:token>/", views_roster.RosterExportProgressView.as_view(), name="export_progress"),
    path("export/<uuid:token>/status/", views_roster.RosterExportStatusView.as_view(), name="export_status"),
    path("export/<uuid:token>/download/", views_roster.RosterExportDownloadView.as_view(), name="export_download"),
    path("import/", views_roster.RosterImportView.as_view(), name="import"),
    path("import/template/", views_roster.RosterTemplateView.as_view(), name="import_template"),
    path("import/<uuid:token>/confirm/", views_roster.RosterImportConfirmView.as_view(), name="import_confirm"),
]
