from django.urls import path

from portal import views, views_member

app_name = "portal"

urlpatterns = [
    # the secretary's side (staff login)
    path("portal/inbox/", views.InboxView.as_view(), name="inbox"),
    path("portal/inbox/<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("portal/inbox/<int:pk>/decline/", views.DeclineView.as_view(), name="decline"),
    path("portal/photos/<int:pk>/", views.StaffPhotoView.as_view(), name="photo"),
    path("portal/members/<int:member_pk>/link/", views.LinkIssueView.as_view(), name="link_issue"),
    path("portal/links/<int:pk>/revoke/", views.LinkRevokeView.as_view(), name="link_revoke"),
    path("portal/links/<int:pk>/qr.svg", views.LinkQrView.as_view(), name="link_qr"),
    path("portal/notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("portal/notices/new/", views.NoticeCreateView.as_view(), name="notice_create"),
    path("portal/notices/<int:pk>/attachment/", views.StaffNoticeAttachmentView.as_view(), name="notice_attachment"),
    # the member's page (the personal link, a signed 30-minute session)
    path("m/<str:token>/", views_member.EntryView.as_view(), name="member_entry"),
    path("m/<str:token>/home/", views_member.HomeView.as_view(), name="member_home"),
    path("m/<str:token>/details/", views_member.DetailsView.as_view(), name="member_details"),
    path("m/<str:token>/thought/", views_member.ThoughtView.as_view(), name="member_thought"),
    path("m/<str:token>/life/", views_member.LifeView.as_view(), name="member_life"),
    path("m/<str:token>/dues/", views_member.DuesView.as_view(), name="member_dues"),
    path("m/<str:token>/help/", views_member.HelpView.as_view(), name="member_help"),
    path("m/<str:token>/notices/<int:pk>/", views_member.NoticeView.as_view(), name="member_notice"),
    path("m/<str:token>/notices/<int:pk>/attachment/", views_member.NoticeAttachmentView.as_view(),
         name="member_notice_attachment"),
    path("m/<str:token>/photos/<int:pk>/", views_member.PhotoView.as_view(), name="member_photo"),
    path("m/<str:token>/leave/", views_member.LeaveView.as_view(), name="member_leave"),
]
