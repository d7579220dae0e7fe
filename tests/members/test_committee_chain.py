"""The chain 支部—支委—联系人—流动党员: the committee member in charge, on the page, the roster and in reminders."""
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from jobs.reminders import deadline_reminders_send
from members.models import Member
from members.roster_export import write_roster
from members.services import member_update
from notifications.choices import NotificationKind as K
from notifications.models import Notification
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(tree, secretary_a1):
    chief = MemberFactory(organization=tree.branch_a1, is_committee_member=True, name="李支委")
    liaison = MemberFactory(organization=tree.branch_a1, name="王联系")
    away = AwayMemberFactory(organization=tree.branch_a1, name="赵外出", committee_member=chief, liaison=liaison)
    return type("Chain", (), dict(chief=chief, liaison=liaison, away=away))


def test_committee_member_must_be_marked_and_of_the_same_branch(tree, secretary_a1, county_admin):
    away = AwayMemberFactory(organization=tree.branch_a1)
    plain = MemberFactory(organization=tree.branch_a1)
    elsewhere = MemberFactory(organization=tree.branch_a2, is_committee_member=True)
    for chief in (plain, elsewhere):
        with pytest.raises(ValidationError) as caught:
            member_update(member=away, expected_version=away.version, acting_user=county_admin,
                          committee_member=chief)
        assert "committee_member" in caught.value.message_dict
        away.refresh_from_db()
    with pytest.raises(ValidationError):
        member_update(member=plain, expected_version=plain.version, acting_user=county_admin,
                      is_committee_member=True, committee_member=plain)


def test_member_page_shows_the_chain(client, chain, secretary_a1):
    client.force_login(secretary_a1)
    page = client.get(reverse("members:detail", args=[chain.away.pk])).content.decode()
    assert "甲一村党支部 — 李支委 — 王联系 — 赵外出" in page


def test_form_offers_only_the_branchs_committee_members(client, chain, secretary_a1, tree):
    MemberFactory(organization=tree.branch_a2, is_committee_member=True, name="外支委")
    client.force_login(secretary_a1)
    form = client.get(reverse("members:update", args=[chain.away.pk])).context["form"]
    assert list(form.fields["committee_member"].queryset) == [chain.chief]


def test_roster_exports_the_chain_and_reads_the_marking_back(chain, secretary_a1):
    output = BytesIO()
    write_roster(output, queryset=Member.objects.filter(pk__in=[chain.away.pk, chain.chief.pk]).order_by("name"),
                 title="名册", show_personal_data=True)
    sheet = load_workbook(BytesIO(output.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row and "姓名" in row)
    by_name = {row[header.index("姓名")]: row for row in rows[rows.index(header) + 1:] if row[0]}
    assert by_name["赵外出"][header.index("包干支委")] == "李支委"
    assert by_name["赵外出"][header.index("联系人")] == "王联系"
    assert by_name["李支委"][header.index("是否支部委员")] == "是"
    assert by_name["赵外出"][header.index("是否支部委员")] == "否"
    assert header.index("所在党支部") < header.index("包干支委") < header.index("联系人")


def test_silence_reminder_goes_to_the_committee_member_in_charge_too(chain, secretary_a1, tree):
    chief_login = UserFactory(organization=tree.branch_a1, role="roster_staff", phone=chain.chief.phone)
    same_phone_elsewhere = UserFactory(organization=tree.branch_a2, role="branch_secretary", phone=chain.chief.phone)
    Member.objects.filter(pk=chain.away.pk).update(departure_date=date(2024, 1, 1),
                                                   created_at="2024-01-01T00:00:00+08:00")
    deadline_reminders_send(today=date(2026, 11, 25))
    deadline_reminders_send(today=date(2026, 11, 25))
    silent = Notification.objects.filter(kind=K.AWAY_NO_CONTACT, member=chain.away)
    assert sorted(silent.values_list("recipient_id", flat=True)) == sorted([secretary_a1.pk, chief_login.pk])
    assert not Notification.objects.filter(recipient=same_phone_elsewhere).exists()


def test_no_longer_a_committee_member_is_no_longer_told(chain, secretary_a1, tree):
    chief_login = UserFactory(organization=tree.branch_a1, role="roster_staff", phone=chain.chief.phone)
    Member.objects.filter(pk=chain.chief.pk).update(is_committee_member=False)
    Member.objects.filter(pk=chain.away.pk).update(departure_date=date(2024, 1, 1),
                                                   created_at="2024-01-01T00:00:00+08:00")
    deadline_reminders_send(today=date(2026, 11, 25))
    assert not Notification.objects.filter(recipient=chief_login, kind=K.AWAY_NO_CONTACT).exists()
