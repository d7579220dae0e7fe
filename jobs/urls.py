from django.urls import path

from jobs import views, views_schedule

app_name = "jobs"
urlpatterns = [
    path("inactivity/", views.FlagListView.as_view(), name="flag_list"),
    path("inactivity/<int:pk>/", views.FlagDetailView.as_view(), name="flag_detail"),
    path("lost-contact/", views.CaseListView.as_view(), name="case_list"),
    path("lost-contact/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("schedule/", views_schedule.ScheduleRunsView.as_view(), name="schedule_runs"),
]
