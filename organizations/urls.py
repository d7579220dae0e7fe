from django.urls import path

from organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="list"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
]
