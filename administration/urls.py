from django.urls import path

from administration import views

app_name = "administration"
urlpatterns = [
    path("organizations/", views.TreeView.as_view(), name="tree"),
    path("organizations/add/", views.OrganizationAddView.as_view(), name="organization_add"),
    path("organizations/<int:pk>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("organizations/<int:pk>/move/", views.OrganizationMoveView.as_view(), name="organization_move"),
    path("organizations/<int:pk>/merge/", views.OrganizationMergeView.as_view(), name="organization_merge"),
    path("organizations/<int:pk>/close/", views.OrganizationCloseView.as_view(), name="organization_close"),
    path("organizations/import/", views.TreeImportView.as_view(), name="tree_import"),
    path("organizations/import/confirm/", views.TreeImportConfirmView.as_view(), name="tree_import_confirm"),
    path("organizations/export/", views.TreeExportView.as_view(), name="tree_export"),
    path("places/", views.UnmappedPlacesView.as_view(), name="unmapped_places"),
    path("places/<str:kind>/<int:pk>/", views.PlaceFixView.as_view(), name="place_fix"),
    path("accounts/", views.AccountListView.as_view(), name="accounts"),
    path("accounts/add/", views.AccountCreateView.as_view(), name="account_add"),
    path("accounts/<int:pk>/edit/", views.AccountEditView.as_view(), name="account_edit"),
    path("accounts/<int:pk>/active/", views.AccountActiveView.as_view(), name="account_active"),
    path("accounts/<int:pk>/reset-password/", views.AccountResetView.as_view(), name="account_reset"),
    path("accounts/import/", views.AccountImportView.as_view(), name="account_import"),
    path("accounts/import/confirm/", views.AccountImportConfirmView.as_view(), name="account_import_confirm"),
    path("accounts/export/", views.AccountExportView.as_view(), name="account_export"),
]
