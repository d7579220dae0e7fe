from django.urls import path

from cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement_update"),
    path("<int:pk>/members/", views.AgreementMembersView.as_view(), name="agreement_members"),
    path("<int:pk>/exchange/", views.ExchangeRecordView.as_view(), name="exchange_record"),
    path("evaluation/<int:member_pk>/host/", views.HostOpinionView.as_view(), name="host_opinion"),
    path("evaluation/<int:member_pk>/result/", views.EvaluationResultView.as_view(), name="evaluation_result"),
]
