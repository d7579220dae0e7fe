from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from activity_cards import services
from activity_cards.choices import CardAction, CardStatus
from activity_cards.models import ActivityCard, CardNumberCounter, CardRemark, CardVerification
from members.models import DuesPayment, OrganizationalLife
from transfers.models import LocationChange
from tests.activity_cards.conftest import (
    ISSUE_FIELDS,
    issue_card,
    oversize_png_upload,
    png_upload,
    text_as_png_upload,
)
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _issue(member, user, **overrides):
    fields = {**ISSUE_FIELDS, "photo": png_upload(), **overrides}
    return issue_card(member=member, acting_user=user, **fields)


# --- issue ---------------------------------------------------------------------

def test_committee_issues_a_card_filed_with_its_upper_organization(card, member, reviewer_a, tree):
    assert card.number == "222026000001"
    assert card.status == CardStatus.VALID
    assert card.issued_by == tree.town_a and card.filed_with == tree.county
    assert card.issued_by_user == reviewer_a and card.member == member
    assert card.photo.name.startswith("card-photos/") and card.photo.storage.exists(card.photo.name)
    assert list(card.events.values_list("action", flat=True)) == [CardAction.ISSUED]


def test_numbers_follow_province_year_and_serial_and_are_never_reused(card, reviewer_a, tree, settings):
    services.card_take_back(card=card, acting_user=reviewer_a, on=date(2026, 4, 1), reason="注销",
                            status=CardStatus.REVOKED)
    second = _issue(card.member, reviewer_a, issued_on=date(2026, 5, 1))
    assert second.number == "222026000002"
    next_year = _issue(AwayMemberFactory(organization=tree.branch_a2), reviewer_a, issued_on=date(2027, 1, 5))
    assert next_year.number == "222027000001"
    settings.CARD_PROVINCE_CODE = "11"
    beijing = _issue(AwayMemberFactory(organization=tree.branch_a2), reviewer_a, issued_on=date(2027, 1, 6))
    assert beijing.number == "112027000001"


def test_department_admin_of_a_committee_may_issue(member, tree):
    admin = UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)
    assert _issue(member, admin).issued_by == tree.town_a


@pytest.mark.parametrize("who", ["secretary_a1", "reviewer_b", "county_admin"])
def test_only_a_committee_of_the_members_own_tree_may_issue(request, member, tree, who):
    if who == "reviewer_b":
        user = UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)
    else:
        user = request.getfixturevalue(who)  # a branch; a county (not a grassroots committee)
    with pytest.raises(PermissionDenied):
        _issue(member, user)
    assert not ActivityCard.objects.exists() and not CardNumberCounter.objects.exists()


def test_second_valid_card_is_refused_and_nothing_is_stored(card, reviewer_a):
    with pytest.raises(ValidationError) as exc:
        _issue(card.member, reviewer_a)
    assert "已有一张有效的活动证" in str(exc.value)
    assert ActivityCard.objects.count() == 1
    assert CardNumberCounter.objects.get().last_serial == 1


def test_database_refuses_a_second_valid_card_too(card):
    duplicate = ActivityCard(**{f.attname: getattr(card, f.attname) for f in ActivityCard._meta.concrete_fields
                                if f.name not in ("id", "number")}, number="229999000001")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "已有一张有效的活动证" in str(exc.value)


@pytest.mark.parametrize("overrides, handling", [
    (dict(purpose="meeting", expected_months=2), "certificate_letter"),
    (dict(expected_months=5), "activity_card"),
])
def test_the_card_takes_the_handling_and_its_reason_from_the_outflow(member, reviewer_a, overrides, handling):
    """The reason for a card where the rules say otherwise is written once, on the outflow."""
    card = _issue(member, reviewer_a, **overrides)
    assert card.outflow.member == member
    assert card.recommended_handling == handling == card.outflow.recommended_handling
    assert card.override_reason == card.outflow.override_reason


@pytest.mark.parametrize("make_upload, message", [
    (text_as_png_upload, "不是有效的图片"),
    (oversize_png_upload, "照片文件过大"),
])
def test_bad_photo_is_refused_and_nothing_is_stored(member, reviewer_a, media_root, make_upload, message):
    with pytest.raises(ValidationError) as exc:
        _issue(member, reviewer_a, photo=make_upload())
    assert message in str(exc.value)
    assert not ActivityCard.objects.exists()
    assert not CardNumberCounter.objects.exists()


# --- verification --------------------------------------------------------------

def test_origin_verifies_the_card(card, secretary_a1):
    verification = services.card_verify(card=card, acting_user=secretary_a1, verified_on=date(2026, 9, 1),
                                        result="passed", notes="情况良好")
    assert verification.organization == secretary_a1.organization and verification.verified_by == secretary_a1
    assert card.events.filter(action=CardAction.VERIFIED).exists()


def test_verification_dated_before_issue_is_refused(card, secretary_a1):
    with pytest.raises(ValidationError) as exc:
        services.card_verify(card=card, acting_user=secretary_a1, verified_on=date(2026, 2, 28), result="passed")
    assert "不能早于发证日期" in str(exc.value.error_dict["verified_on"])
    assert not CardVerification.objects.exists()


def test_verification_in_the_future_is_refused(card, secretary_a1):
    with pytest.raises(ValidationError):
        services.card_verify(card=card, acting_user=secretary_a1,
                             verified_on=timezone.localdate() + timedelta(days=1), result="passed")
    assert not CardVerification.objects.exists()


def test_host_cannot_verify(card, secretary_b1):
    with pytest.raises(PermissionDenied):
        services.card_verify(card=card, acting_user=secretary_b1, verified_on=date(2026, 9, 1), result="passed")
    assert not CardVerification.objects.exists()


# --- replacement and taking back -------------------------------------------------

def test_replacement_marks_old_card_and_issues_a_new_number(card, reviewer_a):
    new = services.card_replace(card=card, acting_user=reviewer_a, replaced_on=date(2029, 3, 1))
    card.refresh_from_db()
    assert card.status == CardStatus.REPLACED and card.closed_on == date(2029, 3, 1)
    assert new.status == CardStatus.VALID and new.number == "222029000001" and new.replaces == card
    assert new.photo.name == card.photo.name  # no new photo: the old one is kept
    assert card.replaced_by == new
    assert list(card.events.values_list("action", flat=True)) == [CardAction.ISSUED, CardAction.REPLACED]


def test_replacement_with_a_new_photo(card, reviewer_a):
    new = services.card_replace(card=card, acting_user=reviewer_a, replaced_on=date(2029, 3, 1),
                                photo=png_upload(name="new.png"))
    assert new.photo.name != card.photo.name


@pytest.mark.parametrize("status", [CardStatus.RETURNED, CardStatus.REVOKED])
def test_card_is_taken_back(card, secretary_a1, status):
    services.card_take_back(card=card, acting_user=secretary_a1, on=date(2026, 10, 1), reason="返回原籍",
                            status=status)
    card.refresh_from_db()
    assert card.status == status and card.closed_reason == "返回原籍"


def test_taken_back_card_accepts_no_more_transitions(card, reviewer_a, secretary_a1, secretary_b1):
    services.card_take_back(card=card, acting_user=secretary_a1, on=date(2026, 10, 1), reason="转移组织关系")
    with pytest.raises(ValidationError):
        services.card_replace(card=card, acting_user=reviewer_a, replaced_on=date(2029, 3, 1))
    with pytest.raises(ValidationError):
        services.card_verify(card=card, acting_user=secretary_a1, verified_on=date(2026, 10, 2), result="passed")
    with pytest.raises(ValidationError):
        services.card_life_add(card=card, acting_user=secretary_b1, attended_on=date(2026, 10, 5),
                               kind="party_class", content="党课")
    with pytest.raises(ValidationError):
        services.card_take_back(card=card, acting_user=secretary_a1, on=date(2026, 10, 1), reason="再次")


@pytest.mark.parametrize("kwargs", [
    dict(status=CardStatus.VALID, reason="x", on=date(2026, 10, 1)),
    dict(status=CardStatus.RETURNED, reason="  ", on=date(2026, 10, 1)),
    dict(status=CardStatus.RETURNED, reason="x", on=date(2026, 1, 1)),
])
def test_bad_take_back_is_refused(card, secretary_a1, kwargs):
    with pytest.raises(ValidationError):
        services.card_take_back(card=card, acting_user=secretary_a1, **kwargs)
    card.refresh_from_db()
    assert card.status == CardStatus.VALID


def test_host_cannot_take_the_card_back(card, secretary_b1):
    with pytest.raises(PermissionDenied):
        services.card_take_back(card=card, acting_user=secretary_b1, on=date(2026, 10, 1), reason="x")


# --- entries by the host ---------------------------------------------------------

def test_host_entries_are_the_members_activity_records(card, secretary_b1, tree):
    life = services.card_life_add(card=card, acting_user=secretary_b1, attended_on=date(2026, 4, 10),
                                  kind="theme_day", content="主题党日")
    assert isinstance(life, OrganizationalLife) and life.recorded_by == tree.branch_b1
    assert OrganizationalLife.objects.get() == life  # not a copy: the row the inactivity job reads
    payment = services.card_dues_add(card=card, acting_user=secretary_b1, first_month=date(2026, 3, 1),
                                     last_month=date(2026, 5, 1), amount=Decimal("30"), paid_on=date(2026, 4, 10),
                                     paid_where="乙一村党支部", by_proxy=True, receipt_number="R-001")
    assert DuesPayment.objects.get() == payment and payment.by_proxy
    card.member.refresh_from_db()
    assert card.member.dues_paid_through == date(2026, 5, 1) and card.member.dues_paid_where == "乙一村党支部"
    services.card_location_add(card=card, acting_user=secretary_b1, place="上海市浦东新区某工地",
                               contacted_on=date(2026, 3, 5), left_on=date(2026, 8, 1))
    assert LocationChange.objects.get().member == card.member  # the member's own record, shown on the timeline too
    services.card_remark_add(card=card, acting_user=secretary_b1, kind="good_deed", noted_on=date(2026, 6, 1),
                             content="见义勇为")
    assert set(card.events.values_list("action", flat=True)) == {
        CardAction.ISSUED, CardAction.LIFE, CardAction.DUES, CardAction.LOCATION, CardAction.REMARK}


def test_left_before_contact_is_refused(card, secretary_b1):
    with pytest.raises(ValidationError) as exc:
        services.card_location_add(card=card, acting_user=secretary_b1, place="上海",
                                   contacted_on=date(2026, 5, 1), left_on=date(2026, 4, 1))
    assert "离开日期不能早于取得联系日期" in str(exc.value)
    assert not LocationChange.objects.exists()


@pytest.mark.parametrize("entry", ["life", "dues", "location", "remark"])
def test_third_organization_cannot_write_on_the_card(card, secretary_c1, reviewer_c, entry):
    calls = {
        "life": lambda user: services.card_life_add(card=card, acting_user=user, attended_on=date(2026, 4, 1),
                                                    kind="party_class", content="党课"),
        "dues": lambda user: services.card_dues_add(card=card, acting_user=user, first_month=date(2026, 3, 1),
                                                    last_month=date(2026, 3, 1), amount=Decimal("10"),
                                                    paid_on=date(2026, 3, 2), paid_where="丙镇"),
        "location": lambda user: services.card_location_add(card=card, acting_user=user, place="某地",
                                                            contacted_on=date(2026, 4, 1)),
        "remark": lambda user: services.card_remark_add(card=card, acting_user=user, kind="error",
                                                        noted_on=date(2026, 4, 1), content="x"),
    }
    for user in (secretary_c1, reviewer_c):
        with pytest.raises(PermissionDenied):
            calls[entry](user)
    assert not OrganizationalLife.objects.exists() and not DuesPayment.objects.exists()
    assert not LocationChange.objects.exists() and not CardRemark.objects.exists()
    assert card.events.count() == 1


# --- scoping and the due list -------------------------------------------------------

def test_cards_are_visible_to_origin_host_and_filed_with_only(card, secretary_a1, secretary_b1, reviewer_a,
                                                              county_admin, secretary_c1, reviewer_c, secretary_a2):
    for user in (secretary_a1, secretary_b1, reviewer_a, county_admin):
        assert list(ActivityCard.objects.visible_to(user)) == [card]
    for user in (secretary_c1, reviewer_c, secretary_a2):
        assert not ActivityCard.objects.visible_to(user).exists()


@pytest.fixture
def secretary_a2(tree):
    return UserFactory(organization=tree.branch_a2, role=Role.BRANCH_SECRETARY)


def test_due_list_has_cards_to_verify_or_replace(tree, reviewer_a, secretary_a1):
    from activity_cards.models import years_after
    from activity_cards.selectors import cards_due, due_state

    today = timezone.localdate()
    ago = lambda days: today - timedelta(days=days)  # noqa: E731

    def issue(day):
        return _issue(AwayMemberFactory(organization=tree.branch_a1), reviewer_a, issued_on=day)

    fresh, due_soon, overdue, verified = issue(ago(100)), issue(ago(350)), issue(ago(400)), issue(ago(400))
    services.card_verify(card=verified, acting_user=secretary_a1, verified_on=ago(30), result="passed")
    old = issue(years_after(today, -3) + timedelta(days=10))
    services.card_verify(card=old, acting_user=secretary_a1, verified_on=ago(10), result="passed")
    rows = {card.pk: due_state(card, today) for card in cards_due(user=reviewer_a, today=today)}
    assert set(rows) == {due_soon.pk, overdue.pk, old.pk}
    assert not rows[due_soon.pk]["verify_overdue"] and rows[overdue.pk]["verify_overdue"]
    assert rows[old.pk]["replace_due"] and not rows[old.pk]["replace_overdue"]
    assert not rows[old.pk]["verify_overdue"]
    assert fresh.pk not in rows and verified.pk not in rows
    assert not cards_due(user=UserFactory(organization=tree.branch_b1), today=today).exists()
