"""Agreement pages: the permission matrix (anonymous, wrong role, other subtree, right user) and query counts."""
from datetime import date

import pytest
from django.urls import reverse

from cooperation.models import Agreement, Exchange
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def urls(agreement):
    return {name: reverse(f"cooperation:{name}", args=[agreement.pk])
            for name in ("agreement_detail", "agreement_update", "agreement_members", "exchange_record")}


def test_anonymous_goes_to_login(client, agreement):
    for url in [reverse("cooperation:agreement_list"), *urls(agreement).values()]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_towns_committee_neither_sees_nor_edits(client, agreement, reviewer_c):
    client.force_login(reviewer_c)
    assert agreement.host_display not in client.get(reverse("cooperation:agreement_list")).content.decode()
    for name, url in urls(agreement).items():
        assert client.get(url).status_code == 404
        if name != "agreement_detail":
            assert client.post(url, {"host_duties": "改"}).status_code == 404
    assert Agreement.objects.get().host_duties == "协助管理、关心帮扶"


def test_both_sides_see_it_when_the_host_is_in_the_system(client, agreement, reviewer_a, reviewer_b, secretary_a1):
    host_secretary = UserFactory(organization=agreement.host_organization, role="branch_secretary")
    for user in (reviewer_a, reviewer_b, host_secretary, secretary_a1):  # secretary_a1 holds a covered member
        client.force_login(user)
        assert client.get(urls(agreement)["agreement_detail"]).status_code == 200


def test_wrong_role_is_refused(client, agreement, staff_user, secretary_a1, reviewer_b):
    client.force_login(staff_user)
    assert client.get(reverse("cooperation:agreement_create")).status_code == 403
    assert client.get(urls(agreement)["exchange_record"]).status_code == 403
    client.force_login(secretary_a1)  # a branch secretary does not record agreements
    assert client.get(reverse("cooperation:agreement_create")).status_code == 403
    client.force_login(reviewer_b)  # the host sees it but does not edit it
    response = client.post(urls(agreement)["agreement_update"], {"host_duties": "改"})
    assert response.status_code in (200, 403)  # a rejected form answers 200 with its errors
    assert Agreement.objects.get().host_duties == "协助管理、关心帮扶"


def test_the_origin_records_an_agreement_and_picks_its_members(client, tree, reviewer_a, away):
    client.force_login(reviewer_a)
    response = client.post(reverse("cooperation:agreement_create"), {
        "origin_organization": tree.town_a.pk, "host_name": "浦东某园区党委", "host_place": "上海市浦东新区",
        "host_contact_person": "周书记", "host_contact_phone": "02112345678", "starts_on": "2026-01-10",
        "ends_on": "2027-01-09", "exchange_interval": "quarterly", "origin_duties": "联系", "host_duties": "管理"})
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == urls(agreement)["agreement_members"]
    page = client.get(urls(agreement)["agreement_members"]).content.decode()
    assert "甲外出" in page and "乙外出" in page and "丙外出" not in page
    client.post(urls(agreement)["agreement_members"], {"members": [away.placed.pk, away.city.pk]})
    assert set(agreement.members.values_list("name", flat=True)) == {"甲外出", "乙外出"}


def test_the_host_records_an_exchange(client, agreement, away, tree):
    host_secretary = UserFactory(organization=tree.branch_b1, role="branch_secretary")
    client.force_login(host_secretary)
    page = client.get(urls(agreement)["exchange_record"])
    assert page.status_code == 200 and "2026年第3季度" in page.content.decode()
    response = client.post(urls(agreement)["exchange_record"], {
        "period": "2026-07-01", "recorded_on": "2026-10-05", "remarks": "",
        f"took_part_in_life_{away.placed.pk}": "on", f"met_{away.placed.pk}": "on",
        f"remarks_{away.placed.pk}": "表现好"})
    assert response.status_code == 302
    entry = Exchange.objects.get().entries.get(member=away.placed)
    assert entry.took_part_in_life and entry.met and not entry.paid_dues and entry.remarks == "表现好"
    assert "表现好" in client.get(urls(agreement)["agreement_detail"]).content.decode()


def test_the_origin_may_not_record_for_a_host_in_the_system(client, agreement, reviewer_a):
    client.force_login(reviewer_a)
    assert client.get(urls(agreement)["exchange_record"]).status_code == 403


@pytest.mark.parametrize("extra", [0, 12])
def test_list_and_detail_query_counts_do_not_grow(client, agreement, reviewer_a, tree, extra,
                                                  django_assert_max_num_queries):
    members = [AwayMemberFactory(organization=tree.branch_a1, host_organization=tree.branch_b1) for _ in range(extra)]
    agreement.members.add(*members)
    client.force_login(reviewer_a)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("cooperation:agreement_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(urls(agreement)["agreement_detail"]).status_code == 200


def test_dashboard_shows_the_figures(client, agreement, county_admin):
    Agreement.objects.update(starts_on=date(2000, 1, 1), ends_on=date(2099, 12, 31))  # in force whatever the day
    client.force_login(county_admin)
    page = client.get(reverse("dashboard")).content.decode()
    assert "有效的双向共管协议" in page
    assert client.get(reverse("dashboard")).context["cooperation"] == {"agreements": 1, "members": 2}


def test_host_in_the_system_is_named_by_its_code(client, tree, reviewer_a):
    client.force_login(reviewer_a)
    fields = {"origin_organization": tree.town_a.pk, "host_place": "上海市", "host_contact_person": "周书记",
              "host_contact_phone": "02112345678", "starts_on": "2026-01-10", "ends_on": "2027-01-09",
              "exchange_interval": "quarterly", "origin_duties": "联系", "host_duties": "管理"}
    response = client.post(reverse("cooperation:agreement_create"), {**fields, "host_organization": "NO-SUCH"})
    assert response.status_code == 200 and "没有这个组织代码" in response.content.decode()
    client.post(reverse("cooperation:agreement_create"), {**fields, "host_organization": tree.branch_b1.code})
    assert Agreement.objects.get().host_organization == tree.branch_b1


def test_the_quarterly_report_shows_the_members_covered(client, agreement, secretary_a1, tree):
    from reports.periods import Quarter
    from reports.services import report_start
    report = report_start(organization=tree.branch_a1, quarter=Quarter(2026, 3), acting_user=secretary_a1)
    client.force_login(secretary_a1)
    response = client.get(report.get_absolute_url())
    assert response.context["cooperation"] == {"agreements": 1, "members": 1}
    assert "纳入双向共管的外出党员" in response.content.decode()


def test_the_origin_edits_an_agreement_with_its_host_shown_by_code(client, agreement, reviewer_a, tree):
    client.force_login(reviewer_a)
    url = urls(agreement)["agreement_update"]
    form = client.get(url).context["form"]
    assert form["host_organization"].value() == tree.branch_b1.code
    data = {name: form[name].value() for name in form.fields}
    data.update(host_duties="协助管理、关心帮扶、提供平台", starts_on="2026-01-10", ends_on="2027-06-30")
    response = client.post(url, data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.host_duties.endswith("提供平台") and agreement.ends_on == date(2027, 6, 30)
    assert agreement.host_organization == tree.branch_b1
    assert agreement.history.first().history_change_reason == "修改双向共管协议"
