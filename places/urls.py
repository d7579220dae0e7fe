from django.urls import path

from places import views

app_name = "places"

urlpatterns = [
    path("search/", views.division_search, name="search"),
]
