from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("new/", views.ReportStartView.as_view(), name="start"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("review/export/", views.RollupExportView.as_view(), name="review_export"),
    path("national-table/", views.NationalTableView.as_view(), name="national_table"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReportUpdateView.as_view(), name="edit"),
    path("<int:pk>/review/", views.ReportReviewView.as_view(), name="review_action"),
    path("<int:pk>/export/", views.ReportExportView.as_view(), name="export"),
]
