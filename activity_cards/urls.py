from django.urls import path

from activity_cards import views

app_name = "activity_cards"
urlpatterns = [
    path("", views.CardListView.as_view(), name="list"),
    path("due/", views.CardDueListView.as_view(), name="due"),
    path("issue/<int:outflow_pk>/", views.CardIssueView.as_view(), name="issue"),
    path("<int:pk>/", views.CardDetailView.as_view(), name="detail"),
    path("<int:pk>/print/", views.CardPrintView.as_view(), name="print"),
    path("<int:pk>/photo/", views.CardPhotoView.as_view(), name="photo"),
    path("<int:pk>/verify/", views.CardVerifyView.as_view(), name="verify"),
    path("<int:pk>/replace/", views.CardReplaceView.as_view(), name="replace"),
    path("<int:pk>/take-back/", views.CardTakeBackView.as_view(), name="take_back"),
    path("<int:pk>/entries/<str:kind>/", views.CardEntryView.as_view(), name="entry"),
]
