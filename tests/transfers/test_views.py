from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from members.choices import MobilityStatus
from members.models import Member
from transfers import services
from transfers.choices import Handling, LetterStatus, OutflowStatus
from transfers.models import IntroductionLetter, Outflow
from tests.factories import MemberFactory, UserFactory
from tests.transfers.helpers import register


@pytest.fixture
def member_a1(tree):
    return MemberFactory(organization=tree.branch_a1)


@pytest.fixture
def outflow_a1(member_a1, secretary_a1):
    return register(member_a1, secretary_a1)


def _form_data(**overrides):
    data = {
        "talk_date": "2026-11-01", "talk_by": "王支书", "talk_notes": "", "departure_date": "2026-11-10",
        "expected_months": "8", "purpose": "work", "fixed_place": "on", "can_transfer": "on",
        "destination_division": "310000", "abroad_country": "", "destination_city": "",
        "destination_address": "上海市人民路1号",
        "host_unit": "上海某建设集团", "unit_has_party_org": "on", "supervising_department": "", "unit_locality": "",
        "destination_unit_kind": "non_public_enterprise", "former_occupation": "farmer",
        "occupation": "建筑工人", "trade": "construction", "phone": "13812345678", "other_contact": "",
        "liaison": "", "handling": "", "override_reason": "", "receiving_organization": "",
        "receiving_organization_name": "", "letter_valid_days": "30",
    }
    data.update(overrides)
    return data


# --- permission matrix ----------------------------------------------------------------

def _urls(outflow):
    letter = outflow.introduction_letter
    member = outflow.member
    return [
        reverse("transfers:outflow_detail", args=[outflow.pk]),
        reverse("transfers:outflow_register", args=[member.pk]),
        reverse("transfers:recommend", args=[member.pk]),
        reverse("transfers:return_register", args=[outflow.pk]),
        reverse("transfers:letter_detail", args=[letter.pk]),
        reverse("transfers:contact_add", args=[member.pk]),
        reverse("transfers:location_add", args=[member.pk]),
        reverse("transfers:thought_report_add", args=[member.pk]),
    ]


def test_anonymous_is_sent_to_login(client, outflow_a1):
    for url in _urls(outflow_a1) + [reverse("transfers:outflow_list"), reverse("transfers:inflow_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_other_subtree_gets_404_everywhere(client, outflow_a1, secretary_b1):
    client.force_login(secretary_b1)
    for url in _urls(outflow_a1):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("transfers:letter_confirm", args=[outflow_a1.introduction_letter.pk]),
                       {"received_on": "2026-11-20"}).status_code == 404
    assert client.get(reverse("transfers:outflow_list")).context["paginator"].count == 0


def test_other_committee_cannot_approve(client, tree, outflow_a1):
    client.force_login(UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER))
    assert client.post(reverse("transfers:outflow_approve", args=[outflow_a1.pk])).status_code == 404
    assert Outflow.objects.get(pk=outflow_a1.pk).status == OutflowStatus.SUBMITTED


def test_wrong_role_is_403(client, outflow_a1, reviewer_a, staff_user):
    client.force_login(reviewer_a)  # a reviewer does not register outflows
    assert client.get(reverse("transfers:outflow_register", args=[outflow_a1.member_id])).status_code == 403
    client.force_login(staff_user)
    assert client.post(reverse("transfers:outflow_approve", args=[outflow_a1.pk])).status_code == 403


def test_host_sees_the_shared_record_and_nobody_else(client, tree, outflow_a1, reviewer_a):
    services.outflow_approve(outflow=outflow_a1, acting_user=reviewer_a)
    host = UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)
    letter = outflow_a1.introduction_letter
    claim = services.inflow_register(host_organization=tree.branch_b1, acting_user=host,
                                     id_number=outflow_a1.member.id_number, arrived_on=date(2026, 11, 12),
                                     document_kind="introduction_letter", document_number=letter.number,
                                     check_code=letter.check_code)
    services.member_claim_confirm(claim=claim, acting_user=reviewer_a)
    client.force_login(host)
    assert client.get(reverse("members:detail", args=[outflow_a1.member_id])).status_code == 200
    assert client.get(reverse("transfers:outflow_detail", args=[outflow_a1.pk])).status_code == 200
    bystander = UserFactory(organization=tree.branch_a2, role=Role.BRANCH_SECRETARY)
    client.force_login(bystander)
    assert client.get(reverse("members:detail", args=[outflow_a1.member_id])).status_code == 404
    assert client.get(reverse("transfers:outflow_detail", args=[outflow_a1.pk])).status_code == 404
    assert client.get(reverse("transfers:inflow_list")).context["paginator"].count == 0


# --- register through the page ---------------------------------------------------------

def test_register_page_shows_recommendation_and_redirects_to_letter(client, member_a1, secretary_a1):
    client.force_login(secretary_a1)
    url = reverse("transfers:outflow_register", args=[member_a1.pk])
    page = client.get(url)
    assert page.status_code == 200 and "外出登记" in page.content.decode()
    response = client.post(url, _form_data())
    letter = IntroductionLetter.objects.get()
    assert response.status_code == 302 and response.url == letter.get_absolute_url()
    page = client.get(letter.get_absolute_url()).content.decode()
    assert letter.number in page and "回执" in page and "存根" in page
    # 党费缴至 is written when the committee approves and the letter is issued, not at registration (issue 11).
    assert "党费已交到 <strong>——</strong>" in page


def test_recommend_endpoint(client, member_a1, secretary_a1, secretary_b1):
    client.force_login(secretary_a1)
    url = reverse("transfers:recommend", args=[member_a1.pk])
    data = client.get(url, {"expected_months": 8, "purpose": "work", "fixed_place": "on", "can_transfer": "on",
                            "destination_division": "310115", "host_unit": "某厂", "unit_has_party_org": "on"}).json()
    assert data["recommendation"]["handling"] == Handling.TRANSFER
    assert data["recommendation"]["label"] == "转移组织关系"
    assert data["recommendation"]["destination"] == "某厂党组织"
    assert client.get(url, {"expected_months": "x"}).json() == {"recommendation": None}
    data = client.get(url, {"expected_months": 3, "purpose": "meeting"}).json()
    assert data["recommendation"]["handling"] == Handling.CERTIFICATE_LETTER
    client.force_login(secretary_b1)
    assert client.get(url, {"expected_months": 8, "purpose": "work"}).status_code == 404


@pytest.mark.parametrize("overrides, field, message", [
    (dict(handling="activity_card"), "override_reason", "必须写明理由"),
    (dict(letter_valid_days="120"), "letter_valid_days", "最长3个月"),
    (dict(talk_date="2099-01-01", departure_date="2099-01-02"), "talk_date", "不能晚于今天"),
    (dict(expected_months=""), "expected_months", ""),
])
def test_bad_input_is_shown_next_to_the_field(client, member_a1, secretary_a1, overrides, field, message):
    client.force_login(secretary_a1)
    response = client.post(reverse("transfers:outflow_register", args=[member_a1.pk]), _form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Outflow.objects.exists()


def test_every_problem_of_the_outflow_is_reported_in_one_round(client, member_a1, secretary_a1):
    client.force_login(secretary_a1)
    future = timezone.localdate() + timedelta(days=3)
    response = client.post(reverse("transfers:outflow_register", args=[member_a1.pk]), _form_data(
        talk_date=future.isoformat(), departure_date=(future + timedelta(days=7)).isoformat(), expected_months="0"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["talk_date"] == ["该日期不能晚于今天。"]
    assert errors["expected_months"] == ["不能小于 1，请重新填写。"]
    page = response.content.decode()
    assert 'data-error-summary' in page and 'href="#id_talk_date"' in page and 'href="#id_expected_months"' in page


def test_a_transfer_without_a_destination_says_what_to_fill(client, member_a1, secretary_a1):
    """The help text says when the receiving organization is required, and the refusal says what to fill."""
    client.force_login(secretary_a1)
    url = reverse("transfers:outflow_register", args=[member_a1.pk])
    response = client.post(url, _form_data(unit_has_party_org="", handling="transfer"))
    errors = response.context["form"].errors
    assert "由系统按规定确定" in errors["receiving_organization_name"][0]
    assert "这些都不清楚时，转移组织关系必须填写" in response.context["form"]["receiving_organization_name"].help_text
    data = client.get(reverse("transfers:recommend", args=[member_a1.pk]), {
        "expected_months": "24", "purpose": "work", "fixed_place": "on", "can_transfer": "on",
        "host_unit": "某厂", "supervising_department": "", "unit_locality": ""}).json()["recommendation"]
    assert data["handling"] == "transfer" and data["destination"] == ""
    assert data["destination_text"].startswith("接收党组织：") and "直接选择、填写接收党组织" in data["destination_text"]


def test_transfer_to_own_organization_is_refused_on_the_page(client, tree, member_a1, secretary_a1):
    client.force_login(secretary_a1)
    # the own branch is not offered; posting it anyway is refused with a message
    response = client.post(reverse("transfers:outflow_register", args=[member_a1.pk]),
                           _form_data(receiving_organization=tree.branch_a1.pk))
    assert response.status_code == 200 and not Outflow.objects.exists()


def test_second_outflow_is_refused_on_the_page(client, outflow_a1, secretary_a1):
    client.force_login(secretary_a1)
    response = client.post(reverse("transfers:outflow_register", args=[outflow_a1.member_id]), _form_data())
    assert response.status_code == 200
    assert "未结束的外出登记" in response.content.decode()
    assert Outflow.objects.count() == 1


# --- approval, receipt, return through the pages -----------------------------------------

def test_committee_sends_back_then_approves(client, outflow_a1, reviewer_a, secretary_a1):
    client.force_login(reviewer_a)
    detail = reverse("transfers:outflow_detail", args=[outflow_a1.pk])
    assert "审批通过" in client.get(detail).content.decode()
    response = client.post(reverse("transfers:outflow_send_back", args=[outflow_a1.pk]), {"reason": ""})
    assert response.status_code == 200 and Outflow.objects.get().status == OutflowStatus.SUBMITTED
    client.post(reverse("transfers:outflow_send_back", args=[outflow_a1.pk]), {"reason": "谈话记录不全"})
    assert Outflow.objects.get().status == OutflowStatus.RETURNED
    client.force_login(secretary_a1)
    edit = reverse("transfers:outflow_resubmit", args=[outflow_a1.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _form_data(talk_notes="补充：已讲明义务"))
    assert response.status_code == 302, response.context["form"].errors
    client.force_login(reviewer_a)
    client.post(reverse("transfers:outflow_approve", args=[outflow_a1.pk]))
    assert Outflow.objects.get().status == OutflowStatus.APPROVED
    assert IntroductionLetter.objects.get().status == LetterStatus.ISSUED
    assert "谈话记录不全" in client.get(detail).content.decode()


def test_receiver_confirms_on_the_letter_page(client, tree, member_a1, secretary_a1, reviewer_a):
    outflow = register(member_a1, secretary_a1, receiving_organization=tree.branch_b1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = IntroductionLetter.objects.get()
    receiver = UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)
    client.force_login(receiver)
    assert letter.number in client.get(reverse("transfers:inflow_list")).content.decode()
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "确认接收" in page
    today = timezone.localdate().isoformat()
    assert client.post(reverse("transfers:letter_confirm", args=[letter.pk]), {"received_on": today}).status_code == 302
    assert Member.objects.get(pk=member_a1.pk).organization == tree.branch_b1
    response = client.post(reverse("transfers:letter_confirm", args=[letter.pk]), {"received_on": today})
    assert response.status_code == 200 and "不能重复确认" in response.content.decode()


def test_return_page_refuses_return_before_departure(client, outflow_a1, secretary_a1):
    client.force_login(secretary_a1)
    url = reverse("transfers:return_register", args=[outflow_a1.pk])
    response = client.post(url, {"returned_on": "2026-11-01"})
    assert response.status_code == 200 and "不能早于外出时间" in response.content.decode()
    response = client.post(url, {"returned_on": (timezone.localdate() + timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    # the outflow in the fixture leaves on 2026-11-10; return on departure day is allowed
    response = client.post(url, {"returned_on": "2026-11-10", "card_checked_on": "2026-11-10", "report_heard_on": "2026-11-10"})
    if timezone.localdate() >= date(2026, 11, 10):
        assert response.status_code == 302
        assert Member.objects.get(pk=outflow_a1.member_id).mobility_status == MobilityStatus.AT_HOME


def test_inflow_page_registers_outside_member(client, tree, secretary_b1):
    client.force_login(secretary_b1)
    response = client.post(reverse("transfers:inflow_register"), {
        "host_organization": tree.branch_b1.pk, "id_number": "110105199001011232", "arrived_on": "2026-10-01",
        "document_kind": "none"})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(reverse("transfers:inflow_register"), {
        "host_organization": tree.branch_b1.pk, "id_number": "110105199001011232", "name": "韩梅",
        "joined_date": "2015-07-01", "education": "high_school", "origin_organization_name": "外省某村党支部",
        "arrived_on": "2026-10-01", "document_kind": "none", "hidden_member": "on"})
    assert response.status_code == 302
    member = Member.objects.get(id_number="110105199001011232")
    assert member.host_organization == tree.branch_b1 and member.mobility_status == MobilityStatus.INFLOW


def test_contact_page(client, member_a1, secretary_a1):
    client.force_login(secretary_a1)
    url = reverse("transfers:contact_add", args=[member_a1.pk])
    response = client.post(url, {"contacted_on": "2099-01-01", "channel": "phone", "contact_person": "王"})
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    response = client.post(url, {"contacted_on": "2026-11-01", "channel": "phone", "contact_person": "王"})
    assert response.status_code == 302


# --- the member page's timeline --------------------------------------------------------

def _add_history(member, user, n):
    for i in range(n):
        services.contact_attempt_add(member=member, acting_user=user, contacted_on=date(2026, 1, 1) + timedelta(days=i),
                                     channel="phone", contact_person="王", reached=i % 2 == 0)
        services.location_change_add(member=member, acting_user=user, place=f"地点{i}",
                                     contact_made_on=date(2026, 1, 1) + timedelta(days=i))
        services.thought_report_add(member=member, acting_user=user, received_on=date(2026, 1, 2) + timedelta(days=i))
        outflow = register(member, user, departure_date=date(2025, 1, 1) + timedelta(days=i),
                           talk_date=date(2024, 12, 1))
        services.return_register(outflow=outflow, acting_user=user, returned_on=date(2025, 6, 1) + timedelta(days=i))


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_member_page_query_count_is_constant(client, member_a1, secretary_a1, django_assert_max_num_queries):
    client.force_login(secretary_a1)
    url = reverse("members:detail", args=[member_a1.pk])
    _add_history(member_a1, secretary_a1, 1)
    short = _count_queries(client, url)
    print(f"member page queries with a 1-trip timeline: {short}")
    _add_history(member_a1, secretary_a1, 6)
    with django_assert_max_num_queries(short):
        page = client.get(url).content.decode()
    assert page.count("timeline-entry") > 40
    assert "外出流动记录" in page and "返回登记" in page


def test_approving_twice_shows_a_message_not_an_error_page(client, outflow_a1, reviewer_a):
    client.force_login(reviewer_a)
    url = reverse("transfers:outflow_approve", args=[outflow_a1.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "不在待审批状态" in response.content.decode()


def test_committee_creates_temporary_branch_from_the_offer(client, tree, secretary_a1, reviewer_a):
    members = [MemberFactory(organization=tree.branch_a1) for _ in range(3)]
    outflows = [register(m, secretary_a1, handling=Handling.ACTIVITY_CARD, override_reason="单位暂不能接收")
                for m in members]
    client.force_login(reviewer_a)
    assert "成立临时党支部" in client.get(reverse("transfers:outflow_detail", args=[outflows[0].pk])).content.decode()
    url = reverse("transfers:temporary_branch_create", args=[outflows[0].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "甲一村驻上海临时党支部", "leader": members[0].pk,
                                 "members": [m.pk for m in members]})
    assert response.status_code == 302
    assert Member.objects.filter(host_organization__name="甲一村驻上海临时党支部").count() == 3
    client.force_login(secretary_a1)
    assert client.get(url).status_code == 403


def test_sender_records_returned_receipt_on_the_letter_page(client, outflow_a1, secretary_a1, reviewer_a):
    services.outflow_approve(outflow=outflow_a1, acting_user=reviewer_a)
    client.force_login(secretary_a1)
    letter = IntroductionLetter.objects.get()
    assert "回执已收到" in client.get(letter.get_absolute_url()).content.decode()
    response = client.post(reverse("transfers:letter_receipt_returned", args=[letter.pk]),
                           {"received_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert IntroductionLetter.objects.get().receipt_returned
    assert Outflow.objects.get().status == OutflowStatus.TRANSFERRED


def test_important_actions_ask_first_and_say_what_is_kept(client, outflow_a1, secretary_a1, reviewer_a):
    client.force_login(reviewer_a)
    page = client.get(reverse("transfers:outflow_detail", args=[outflow_a1.pk])).content.decode()
    assert page.count("data-confirm=") == 2 and "js/confirm.js" in page  # approving and returning
    services.outflow_approve(outflow=outflow_a1, acting_user=reviewer_a)
    client.force_login(secretary_a1)
    page = client.get(reverse("transfers:return_register", args=[outflow_a1.pk])).content.decode()
    assert "结束这次外出" in page and 'data-confirm-keep="外出期间的联系记录' in page
