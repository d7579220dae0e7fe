from django.urls import path

from assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.HelpRequestListView.as_view(), name="list"),
    path("members/<int:member_pk>/new/", views.HelpRequestCreateView.as_view(), name="create"),
    path("<int:pk>/", views.HelpRequestDetailView.as_view(), name="detail"),
    path("<int:pk>/action/", views.HelpActionAddView.as_view(), name="action_add"),
    path("<int:pk>/resolve/", views.HelpRequestResolveView.as_view(), name="resolve"),
]
