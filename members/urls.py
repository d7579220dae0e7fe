from django.urls import path

from members import dues_views, views, views_access_log, views_membership, views_roster

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="list"),
    path("jump/", views.MemberJumpView.as_view(), name="jump"),
    path("new/", views.MemberCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MemberUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.MemberDeleteView.as_view(), name="delete"),
    path("<int:pk>/membership/propose/", views_membership.MembershipProposeView.as_view(), name="membership_propose"),
    path("<int:pk>/membership/record/", views_membership.MembershipRecordView.as_view(), name="membership_record"),
    path("membership/<int:pk>/decide/", views_membership.MembershipDecideView.as_view(), name="membership_decide"),
    path("membership/<int:pk>/document/", views_membership.MembershipDocumentView.as_view(),
         name="membership_document"),
    path("<int:pk>/probation/opinion/", views_membership.ProbationOpinionRequestView.as_view(),
         name="probation_opinion_request"),
    path("probation-letters/<int:pk>/", views_membership.ProbationLetterView.as_view(), name="probation_letter"),
    path("probation-letters/<int:pk>/answer/", views_membership.ProbationOpinionAnswerView.as_view(),
         name="probation_opinion_answer"),
    path("access-log/", views_access_log.PersonalDataAccessListView.as_view(), name="access_log"),
    path("dues/arrears/", dues_views.DuesArrearsView.as_view(), name="dues_arrears"),
    path("export/", views_roster.RosterExportView.as_view(), name="export"),
    path("exports/", views_roster.RosterExportListView.as_view(), name="export_list"),
    path("export/<uuid:token>/", views_roster.RosterExportProgressView.as_view(), name="export_progress"),
    path("export/<uuid:token>/status/", views_roster.RosterExportStatusView.as_view(), name="export_status"),
    path("export/<uuid:token>/download/", views_roster.RosterExportDownloadView.as_view(), name="export_download"),
    path("import/", views_roster.RosterImportView.as_view(), name="import"),
    path("import/template/", views_roster.RosterTemplateView.as_view(), name="import_template"),
    path("import/<uuid:token>/mapping/", views_roster.RosterImportMappingView.as_view(), name="import_mapping"),
    path("import/<uuid:token>/confirm/", views_roster.RosterImportConfirmView.as_view(), name="import_confirm"),
]
