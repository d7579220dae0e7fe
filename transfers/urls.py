from django.urls import path

from transfers import views

app_name = "transfers"
urlpatterns = [
    path("outflows/", views.OutflowListView.as_view(), name="outflow_list"),
    path("outflows/<int:pk>/", views.OutflowDetailView.as_view(), name="outflow_detail"),
    path("outflows/<int:pk>/edit/", views.OutflowResubmitView.as_view(), name="outflow_resubmit"),
    path("outflows/<int:pk>/approve/", views.OutflowDecisionView.as_view(approve=True), name="outflow_approve"),
    path("outflows/<int:pk>/send-back/", views.OutflowDecisionView.as_view(approve=False), name="outflow_send_back"),
    path("outflows/<int:pk>/return/", views.ReturnRegisterView.as_view(), name="return_register"),
    path("outflows/<int:pk>/temporary-branch/", views.TemporaryBranchCreateView.as_view(),
         name="temporary_branch_create"),
    path("temporary-branches/<int:pk>/leader/", views.TemporaryBranchLeaderView.as_view(),
         name="temporary_branch_leader"),
    path("temporary-branches/<int:pk>/dissolve/", views.TemporaryBranchDissolveView.as_view(),
         name="temporary_branch_dissolve"),
    path("members/<int:member_pk>/outflow/", views.OutflowRegisterView.as_view(), name="outflow_register"),
    path("members/<int:member_pk>/outflow/recommend/", views.recommend, name="recommend"),
    path("members/<int:member_pk>/contact/", views.ContactAddView.as_view(), name="contact_add"),
    path("members/<int:member_pk>/location/", views.LocationChangeAddView.as_view(), name="location_add"),
    path("members/<int:member_pk>/thought-report/", views.ThoughtReportAddView.as_view(), name="thought_report_add"),
    path("letters/<int:pk>/", views.LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<int:pk>/confirm/", views.LetterReceiptView.as_view(), name="letter_confirm"),
    path("letters/<int:pk>/receipt-returned/", views.LetterReceiptView.as_view(sender_marks=True),
         name="letter_receipt_returned"),
    path("letters/<int:pk>/arrived/", views.LetterArrivalView.as_view(), name="letter_arrival"),
    path("letters/<int:pk>/reissue/", views.LetterReissueView.as_view(), name="letter_reissue"),
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("inflows/", views.InflowListView.as_view(), name="inflow_list"),
    path("inflows/new/", views.InflowRegisterView.as_view(), name="inflow_register"),
    path("claims/", views.ClaimListView.as_view(), name="claim_list"),
    path("claims/<int:pk>/confirm/", views.ClaimDecisionView.as_view(confirm=True), name="claim_confirm"),
    path("claims/<int:pk>/reject/", views.ClaimDecisionView.as_view(confirm=False), name="claim_reject"),
]
