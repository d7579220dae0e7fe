
import pytest
from django.test import Client
from django.utils import timezone

from members.choices import ContactChannel
from members.models import ContactAttempt
from portal.models import Notice, Submission
from portal.services import submission_send
from tests.portal.conftest import answer, png_upload

pytestmark = pytest.mark.django_db


def test_the_check_then_the_page(link, away):
    client = Client()
    page = client.get(f"/m/{link.token}/")
    assert page.status_code == 200 and "出生日期" in page.content.decode()
    assert client.get(f"/m/{link.token}/home/").status_code == 302  # no session yet
    wrong = client.post(f"/m/{link.token}/", {**answer(away), "id_last4": "0000" if away.id_number[-4:] != "0000" else "1111"})
    assert "还可以试4次" in wrong.content.decode()
    client.post(f"/m/{link.token}/", answer(away))
    home = client.get(f"/m/{link.token}/home/")
    text = home.content.decode()
    assert home.status_code == 200 and "金明哲" in text and away.id_number not in text
    assert home["Cache-Control"].startswith("max-age=0") or "no-store" in home["Cache-Control"]
    assert "sessionid" not in client.cookies  # the member is not a Django user


def test_member_sends_details_and_it_reaches_the_inbox(member_client, link, away, secretary_a1):
    response = member_client.post(f"/m/{link.token}/details/", {
        "destination_division_id": "320500", "destination_address": "干将路2号",
        "host_unit": "苏州某厂", "phone": away.phone})
    assert response.status_code == 200 and "已发送" in response.content.decode()
    staff = Client()
    staff.force_login(secretary_a1)
    inbox = staff.get("/portal/inbox/").content.decode()
    assert "上海市 → " not in inbox and "苏州市" in inbox and "党员本人报告" in inbox
    submission = Submission.objects.get()
    assert staff.post(f"/portal/inbox/{submission.pk}/accept/").status_code == 302
    away.refresh_from_db()
    assert away.destination_city == "苏州市"


def test_menu_counts_pending_submissions(link, secretary_a1):
    submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "job", "text": "求助"})
    staff = Client()
    staff.force_login(secretary_a1)
    assert 'menu-count">1<' in staff.get("/portal/inbox/").content.decode()


def test_decline_in_one_click_with_reason(link, secretary_a1):
    submission = submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "job", "text": "求助"})
    staff = Client()
    staff.force_login(secretary_a1)
    staff.post(f"/portal/inbox/{submission.pk}/decline/", {"reason": ""})
    assert Submission.objects.get().status == Submission.Status.PENDING
    staff.post(f"/portal/inbox/{submission.pk}/decline/", {"reason": "已当面解决"})
    assert Submission.objects.get().status == Submission.Status.DECLINED


def test_inbox_permission_matrix(link, secretary_b1, staff_user):
    submission = submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "job", "text": "求助"})
    assert Client().get("/portal/inbox/").status_code == 302  # anonymous → login
    other = Client()
    other.force_login(secretary_b1)
    assert submission.member.name not in other.get("/portal/inbox/").content.decode()
    assert other.post(f"/portal/inbox/{submission.pk}/accept/").status_code == 404
    wrong_role = Client()
    wrong_role.force_login(staff_user)
    assert wrong_role.get("/portal/inbox/").status_code == 403


def test_member_page_shows_the_link_panel_with_message_and_qr(link, away, secretary_a1, secretary_b1):
    staff = Client()
    staff.force_login(secretary_a1)
    text = staff.get(away.get_absolute_url()).content.decode()
    assert link.token in text and "出生日期和身份证号码最后4位" in text
    qr = staff.get(f"/portal/links/{link.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    other = Client()
    other.force_login(secretary_b1)
    assert other.get(f"/portal/links/{link.pk}/qr.svg").status_code == 404


def test_notice_is_published_read_by_the_member_and_counted(member_client, link, secretary_a1):
    staff = Client()
    staff.force_login(secretary_a1)
    staff.post("/portal/notices/new/", {"title": "春节返乡通知", "body": "请返乡后到支部报到。"})
    notice = Notice.objects.get()
    home = member_client.get(f"/m/{link.token}/home/").content.decode()
    assert "春节返乡通知" in home
    member_client.get(f"/m/{link.token}/notices/{notice.pk}/")
    member_client.get(f"/m/{link.token}/notices/{notice.pk}/")
    assert "<td class=\"num\">1</td>" in staff.get("/portal/notices/").content.decode()



def test_thought_report_with_photo_and_dues_report(member_client, link, away):
    response = member_client.post(f"/m/{link.token}/thought/", {"text": "本季度思想汇报", "photos": [png_upload()]})
    assert "已发送" in response.content.decode()
    submission = Submission.objects.get(kind=Submission.Kind.THOUGHT)
    photo = submission.photos.get()
    assert member_client.get(f"/m/{link.token}/photos/{photo.pk}/")["Content-Type"] == "image/png"
    month = away.dues_start_month.strftime("%Y-%m")
    response = member_client.post(f"/m/{link.token}/dues/", {
        "first_month": month, "last_month": month, "amount": "20", "paid_on": timezone.localdate().isoformat(),
        "paid_where": "上海某党支部", "receipt_number": "A-1"})
    assert "已发送" in response.content.decode()
    assert ContactAttempt.objects.filter(member=away, channel=ContactChannel.SELF_REPORT).count() == 1


def test_card_print_page_carries_the_links_qr(tree, reviewer_a, secretary_a1, secretary_b1):
    from tests.activity_cards.conftest import ISSUE_FIELDS, issue_card
    from tests.factories import AwayMemberFactory
    from portal.links import portal_link_issue

    member = AwayMemberFactory(organization=tree.branch_a1, host_organization=tree.branch_b1)
    card = issue_card(member=member, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)
    link = portal_link_issue(member=member, acting_user=secretary_a1)
    staff = Client()
    staff.force_login(reviewer_a)
    page = staff.get(f"/cards/{card.pk}/print/").content.decode()
    assert f"/portal/links/{link.pk}/qr.svg" in page
    assert staff.get(f"/portal/links/{link.pk}/qr.svg").status_code == 200
    host = Client()
    host.force_login(secretary_b1)  # the host sees the card, not the member's link
    assert f"/portal/links/{link.pk}/qr.svg" not in host.get(f"/cards/{card.pk}/print/").content.decode()


def test_dashboard_shows_self_reports_in_their_own_line(link, secretary_a1):
    submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "job", "text": "求助"})
    staff = Client()
    staff.force_login(secretary_a1)
    page = staff.get("/").content.decode()
    assert "其中党员本人报告" in page


def _send_several(link, n):
    for index in range(n):
        submission_send(link=link, kind=Submission.Kind.THOUGHT, data={"text": f"汇报{index}"}, photos=[png_upload()])
        submission_send(link=link, kind=Submission.Kind.DETAILS, data={
            "destination_division_id": "320500", "destination_address": f"路{index}",
            "host_unit": "", "phone": "13800138000"})


@pytest.mark.parametrize("n", [1, 6])
def test_inbox_and_the_members_page_run_constant_queries(n, link, member_client, secretary_a1,
                                                         django_assert_max_num_queries):
    from members.models import PersonalDataAccess

    _send_several(link, n)
    staff = Client()
    staff.force_login(secretary_a1)
    with django_assert_max_num_queries(12):
        assert staff.get("/portal/inbox/").status_code == 200
    assert PersonalDataAccess.objects.filter(user=secretary_a1, page="portal:inbox").count() == 1
    with django_assert_max_num_queries(6):
        assert member_client.get(f"/m/{link.token}/home/").status_code == 200
