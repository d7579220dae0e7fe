from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from members.choices import MembershipStatus, MobilityStatus
from members.models import ContactAttempt, Member
from members.services import dues_payment_add
from organizations.choices import OrganizationKind
from transfers import services
from transfers.choices import ClaimStatus, Handling, LetterStatus, OutflowStatus, Purpose, StepAction
from transfers.models import (
    CertificateLetter,
    Inflow,
    IntroductionLetter,
    MemberClaim,
    Outflow,
    OutflowStep,
    ReturnRegistration,
)
from tests.factories import MemberFactory, UserFactory
from tests.transfers.helpers import register


@pytest.fixture
def member(tree):
    return MemberFactory(organization=tree.branch_a1)


@pytest.fixture
def receiver_b1(tree):
    return UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)


# --- register --------------------------------------------------------------------

def test_register_recommends_transfer_and_prepares_a_numbered_letter(member, secretary_a1):
    outflow = register(member, secretary_a1)
    assert outflow.status == OutflowStatus.SUBMITTED
    assert outflow.recommended_handling == outflow.handling == Handling.TRANSFER
    letter = outflow.introduction_letter
    assert letter.status == LetterStatus.PENDING and letter.number.startswith("JS")
    assert letter.valid_days == 30 and letter.dues_paid_through is None  # written when the letter is issued
    member.refresh_from_db()
    assert member.mobility_status == MobilityStatus.OUTFLOW
    assert (member.destination_city, member.departure_date, member.expected_months) == ("上海市", date(2026, 11, 10), 8)
    assert list(outflow.steps.values_list("action", flat=True)) == [StepAction.SUBMITTED]


def test_letter_numbers_are_unique(tree, secretary_a1):
    numbers = {register(MemberFactory(organization=tree.branch_a1), secretary_a1).introduction_letter.number
               for _ in range(3)}
    assert len(numbers) == 3


def test_short_meeting_gets_a_certificate_letter(member, secretary_a1):
    outflow = register(member, secretary_a1, expected_months=2, purpose=Purpose.MEETING)
    assert outflow.handling == Handling.CERTIFICATE_LETTER
    assert CertificateLetter.objects.get(outflow=outflow).number.startswith("ZM")
    assert not IntroductionLetter.objects.exists()


def test_override_needs_a_reason_and_keeps_it(member, secretary_a1):
    with pytest.raises(ValidationError) as exc:
        register(member, secretary_a1, handling=Handling.ACTIVITY_CARD)
    assert "override_reason" in exc.value.message_dict
    assert not Outflow.objects.exists()
    outflow = register(member, secretary_a1, handling=Handling.ACTIVITY_CARD, override_reason="单位尚未同意接收")
    assert outflow.override_reason == "单位尚未同意接收" and outflow.recommended_handling == Handling.TRANSFER
    assert not IntroductionLetter.objects.exists()


def test_second_open_outflow_is_refused(member, secretary_a1):
    register(member, secretary_a1)
    with pytest.raises(ValidationError, match="未结束的外出登记"):
        register(member, secretary_a1)
    assert Outflow.objects.count() == 1


def test_transfer_to_own_organization_is_refused(tree, member, secretary_a1):
    with pytest.raises(ValidationError) as exc:
        register(member, secretary_a1, receiving_organization=tree.branch_a1)
    assert "不能把组织关系转到" in str(exc.value)
    assert not Outflow.objects.exists() and not IntroductionLetter.objects.exists()


def test_talk_date_in_the_future_is_refused(member, secretary_a1):
    future = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        register(member, secretary_a1, talk_date=future, departure_date=future + timedelta(days=1))
    assert "不能晚于今天" in str(exc.value)
    assert not Outflow.objects.exists()
    assert Member.objects.get(pk=member.pk).mobility_status == MobilityStatus.AT_HOME


def test_letter_valid_at_most_three_months(member, secretary_a1):
    with pytest.raises(ValidationError, match="最长3个月"):
        register(member, secretary_a1, letter_valid_days=91)
    assert register(member, secretary_a1, letter_valid_days=90).introduction_letter.valid_days == 90


def test_other_subtree_cannot_register(tree, member, secretary_b1):
    with pytest.raises(PermissionDenied):
        register(member, secretary_b1)
    assert not Outflow.objects.exists()


def test_liaison_must_be_of_the_branch(tree, member, secretary_a1):
    outsider = MemberFactory(organization=tree.branch_b1)
    with pytest.raises(ValidationError):
        register(member, secretary_a1, liaison=outsider)
    liaison = MemberFactory(organization=tree.branch_a1)
    register(member, secretary_a1, liaison=liaison)
    assert Member.objects.get(pk=member.pk).liaison == liaison


# --- approval ---------------------------------------------------------------------

def test_committee_approves_and_letter_is_issued(member, secretary_a1, reviewer_a):
    outflow = services.outflow_approve(outflow=register(member, secretary_a1), acting_user=reviewer_a)
    assert outflow.status == OutflowStatus.APPROVED
    letter = IntroductionLetter.objects.get(outflow=outflow)
    assert letter.status == LetterStatus.ISSUED and letter.issued_on == timezone.localdate()
    assert letter.valid_until == letter.issued_on + timedelta(days=30)
    assert list(outflow.steps.values_list("action", flat=True)) == [StepAction.SUBMITTED, StepAction.APPROVED]


def test_letter_carries_paid_through_as_at_approval_not_registration(member, secretary_a1, reviewer_a):
    """Issue 11: "the 党费缴至 month printed on an introduction letter (taken when the letter is issued, i.e. at
    approval, not at registration)"; domain.md: "Dues-paid-to month is written on it." A payment recorded
    between registration and approval is on the letter."""
    outflow = register(member, secretary_a1)
    dues_payment_add(member=member, acting_user=secretary_a1, first_month=date(2026, 11, 1),
                     last_month=date(2026, 11, 1), amount=Decimal("1"), paid_on=date(2026, 11, 5), paid_where="本支部")
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    assert IntroductionLetter.objects.get(outflow=outflow).dues_paid_through == date(2026, 11, 1)


def test_branch_and_other_committee_cannot_approve(tree, member, secretary_a1):
    outflow = register(member, secretary_a1)
    other_committee = UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)
    for user in (secretary_a1, other_committee):
        with pytest.raises(PermissionDenied):
            services.outflow_approve(outflow=outflow, acting_user=user)
    assert Outflow.objects.get(pk=outflow.pk).status == OutflowStatus.SUBMITTED


def test_return_for_revision_needs_reason_then_resubmit(member, secretary_a1, reviewer_a):
    outflow = register(member, secretary_a1)
    with pytest.raises(ValidationError):
        services.outflow_return_for_revision(outflow=outflow, acting_user=reviewer_a, reason="  ")
    outflow = services.outflow_return_for_revision(outflow=outflow, acting_user=reviewer_a, reason="地址不详细")
    assert outflow.status == OutflowStatus.RETURNED
    with pytest.raises(ValidationError):
        services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    outflow = services.outflow_resubmit(outflow=outflow, acting_user=secretary_a1,
                                        destination_address="上海市浦东新区人民路1号3单元")
    assert outflow.status == OutflowStatus.SUBMITTED
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    steps = list(OutflowStep.objects.filter(outflow=outflow).values_list("action", "reason"))
    assert [a for a, _r in steps] == [StepAction.SUBMITTED, StepAction.RETURNED, StepAction.RESUBMITTED,
                                      StepAction.APPROVED]
    assert steps[1][1] == "地址不详细"


def test_resubmit_only_when_returned(member, secretary_a1):
    with pytest.raises(ValidationError):
        services.outflow_resubmit(outflow=register(member, secretary_a1), acting_user=secretary_a1)


# --- receipt -----------------------------------------------------------------------

def _approved_transfer_to_b1(tree, member, secretary_a1, reviewer_a):
    outflow = register(member, secretary_a1, receiving_organization=tree.branch_b1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    return IntroductionLetter.objects.get(outflow=outflow)


def test_receiver_confirms_and_relationship_moves(tree, member, secretary_a1, reviewer_a, receiver_b1):
    letter = _approved_transfer_to_b1(tree, member, secretary_a1, reviewer_a)
    assert Member.objects.get(pk=member.pk).host_organization == tree.branch_b1
    services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1)
    member.refresh_from_db()
    assert member.organization == tree.branch_b1 and member.host_organization is None
    assert member.mobility_status == MobilityStatus.AT_HOME
    assert Outflow.objects.get(pk=letter.outflow_id).status == OutflowStatus.TRANSFERRED
    assert IntroductionLetter.objects.get(pk=letter.pk).status == LetterStatus.RECEIVED
    # the origin still sees its outflow record, but no longer the member
    assert Outflow.objects.visible_to(secretary_a1).filter(pk=letter.outflow_id).exists()
    assert not Member.objects.visible_to(secretary_a1).filter(pk=member.pk).exists()


def test_letter_confirmed_twice_is_refused(tree, member, secretary_a1, reviewer_a, receiver_b1):
    letter = _approved_transfer_to_b1(tree, member, secretary_a1, reviewer_a)
    services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1)
    with pytest.raises(ValidationError, match="不能重复确认"):
        services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1)
    assert OutflowStep.objects.filter(action=StepAction.RECEIPT_CONFIRMED).count() == 1


def test_only_receiver_confirms_and_not_before_approval(tree, member, secretary_a1, reviewer_a, receiver_b1):
    outflow = register(member, secretary_a1, receiving_organization=tree.branch_b1)
    letter = outflow.introduction_letter
    with pytest.raises(ValidationError, match="尚未经党"):
        services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    other = UserFactory(organization=tree.branch_a2, role=Role.BRANCH_SECRETARY)
    with pytest.raises(PermissionDenied):
        services.letter_confirm_receipt(letter=letter, acting_user=other)
    future = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1, received_on=future)
    assert Member.objects.get(pk=member.pk).organization == tree.branch_a1


def test_sender_marks_receipt_returned_for_outside_receiver(member, secretary_a1, reviewer_a):
    outflow = register(member, secretary_a1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = IntroductionLetter.objects.get(outflow=outflow)
    services.letter_mark_receipt_returned(letter=letter, acting_user=secretary_a1, received_on=timezone.localdate())
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RECEIVED and letter.receipt_returned
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.TRANSFERRED_OUT
    assert member.membership_decisions.get().document_number == letter.number
    assert member.history.latest().history_user == secretary_a1
    assert not Member.objects.in_registry().filter(pk=member.pk).exists()
    with pytest.raises(ValidationError, match="不能重复确认"):
        services.letter_mark_receipt_returned(letter=letter, acting_user=secretary_a1, received_on=timezone.localdate())


# --- return ------------------------------------------------------------------------

def test_return_closes_outflow_and_member_is_at_home(member, secretary_a1):
    outflow = register(member, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
    registration = services.return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 10, 1),
                                            card_checked_on=date(2026, 10, 1), report_heard_on=date(2026, 10, 2),
                                            notes="表现良好")
    assert registration.outflow.status == OutflowStatus.CLOSED
    member.refresh_from_db()
    assert member.mobility_status == MobilityStatus.AT_HOME
    register(member, secretary_a1)  # a new departure is possible again
    with pytest.raises(ValidationError):
        services.return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 10, 2))


def test_return_before_departure_or_in_future_is_refused(member, secretary_a1):
    outflow = register(member, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
    with pytest.raises(ValidationError, match="不能早于外出时间"):
        services.return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 2, 28))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.return_register(outflow=outflow, acting_user=secretary_a1,
                                 returned_on=timezone.localdate() + timedelta(days=1))
    assert not ReturnRegistration.objects.exists()
    assert Outflow.objects.get(pk=outflow.pk).is_open


# --- temporary branch -----------------------------------------------------------------

def test_temporary_branch_for_three_to_one_city(tree, secretary_a1, reviewer_a):
    """上海, 上海市 and 上海市浦东新区 are one city: its code groups them (``places.names.city_key``)."""
    members = [MemberFactory(organization=tree.branch_a1) for _ in range(3)]
    assert services.group_size_for(origin=tree.branch_a1, city_code="310000") == 1
    register(members[0], secretary_a1, handling=Handling.ACTIVITY_CARD, override_reason="暂不能转",
             destination_province="", destination_city="上海")
    register(members[1], secretary_a1, handling=Handling.ACTIVITY_CARD, override_reason="暂不能转",
             destination_province="上海市", destination_city="浦东新区")
    third = register(members[2], secretary_a1, can_transfer=False)
    assert third.recommended_handling == Handling.TEMPORARY_BRANCH
    assert services.temporary_branch_candidates(tree.branch_a1) == [{"city_code": "310000", "city": "上海市", "n": 3}]
    with pytest.raises(PermissionDenied):
        services.temporary_branch_create(origin=tree.branch_a1, city_code="310000", name="临时支部",
                                         leader=members[0], members=members, acting_user=secretary_a1)
    with pytest.raises(ValidationError):
        services.temporary_branch_create(origin=tree.branch_a1, city_code="310000", name="临时支部",
                                         leader=members[0], members=members[:2], acting_user=reviewer_a)
    branch = services.temporary_branch_create(origin=tree.branch_a1, city_code="310000", name="驻上海临时党支部",
                                              leader=members[0], members=members, acting_user=reviewer_a)
    assert branch.kind == OrganizationKind.TEMPORARY_BRANCH and branch.is_within(tree.town_a)
    assert (branch.division_code, branch.address) == ("310000", "上海市")
    assert set(Member.objects.filter(host_organization=branch).values_list("pk", flat=True)) == {m.pk for m in members}
    assert services.temporary_branch_candidates(tree.branch_a1) == []


# --- inflow, location changes, contact --------------------------------------------------

def test_inflow_from_inside_with_letter_and_check_code_is_a_claim_the_origin_confirms(
        tree, member, secretary_a1, reviewer_a, receiver_b1):
    outflow = register(member, secretary_a1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = IntroductionLetter.objects.get(outflow=outflow)
    claim = services.inflow_register(host_organization=tree.branch_b1, acting_user=receiver_b1,
                                     id_number=member.id_number, arrived_on=date(2026, 11, 12),
                                     document_kind="introduction_letter", document_number=letter.number,
                                     check_code=letter.check_code.lower())
    assert isinstance(claim, MemberClaim) and claim.status == ClaimStatus.PENDING
    assert not Member.objects.visible_to(receiver_b1).filter(pk=member.pk).exists()
    services.member_claim_confirm(claim=claim, acting_user=secretary_a1)
    inflow = Inflow.objects.get(member=member)
    assert inflow.from_system and inflow.document_verified and inflow.created_by == receiver_b1
    assert inflow.origin_organization_name == tree.branch_a1.name
    assert Member.objects.visible_to(receiver_b1).filter(pk=member.pk).exists()
    assert Outflow.objects.visible_to(receiver_b1).filter(pk=outflow.pk).exists()


def test_inflow_from_outside_creates_hidden_member(tree, receiver_b1):
    from tests.factories import _person

    person = _person()
    inflow = services.inflow_register(
        host_organization=tree.branch_b1, acting_user=receiver_b1, id_number=person["id_number"],
        arrived_on=date(2026, 10, 1), document_kind="none", origin_organization_name="外省某村党支部",
        hidden_member=True, new_member_fields=dict(person, joined_date=date(2010, 7, 1), education="high_school"))
    assert not inflow.from_system and inflow.hidden_member
    assert inflow.member.mobility_status == MobilityStatus.INFLOW
    assert inflow.member.host_organization == tree.branch_b1


def test_inflow_of_an_in_system_member_needs_their_document(tree, member, receiver_b1, secretary_a1, reviewer_a):
    """Typing someone's ID number is not enough to take their record over."""
    outflow = register(member, secretary_a1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    new_member = dict(name="冒名", joined_date=date(2010, 7, 1), education="high_school",
                      birth_date=member.birth_date, gender=member.gender)
    for kind, number, code in [("none", "", ""), ("introduction_letter", "JS2026-99999", "ABCDEFGH"),
                               ("activity_card", "222026000001", "ABCDEFGH"),
                               ("introduction_letter", outflow.introduction_letter.number, "")]:
        with pytest.raises(services.InflowRefused, match="不能对应"):
            services.inflow_register(host_organization=tree.branch_b1, acting_user=receiver_b1,
                                     id_number=member.id_number, arrived_on=date(2026, 11, 12), document_kind=kind,
                                     document_number=number, check_code=code, origin_organization_name="某党支部",
                                     new_member_fields=new_member)
    member.refresh_from_db()
    assert member.host_organization is None and not Inflow.objects.exists() and not MemberClaim.objects.exists()


def test_inflow_refusals(tree, member, receiver_b1, secretary_a1):
    with pytest.raises(ValidationError):  # document number missing
        services.inflow_register(host_organization=tree.branch_b1, acting_user=receiver_b1,
                                 id_number=member.id_number, arrived_on=date(2026, 10, 1),
                                 document_kind="certificate_letter")
    with pytest.raises(ValidationError):  # a committee is not a place for a member
        services.inflow_register(host_organization=tree.town_b, acting_user=UserFactory(organization=tree.town_b),
                                 id_number=member.id_number, arrived_on=date(2026, 10, 1), document_kind="none")
    with pytest.raises(PermissionDenied):  # into another subtree
        services.inflow_register(host_organization=tree.branch_a2, acting_user=receiver_b1,
                                 id_number=member.id_number, arrived_on=date(2026, 10, 1), document_kind="none")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.inflow_register(host_organization=tree.branch_b1, acting_user=receiver_b1,
                                 id_number=member.id_number, arrived_on=timezone.localdate() + timedelta(days=2),
                                 document_kind="none")
    assert not Inflow.objects.exists()
    assert Member.objects.get(pk=member.pk).host_organization is None


def test_contact_and_location_records(tree, member, secretary_a1):
    services.contact_attempt_add(member=member, acting_user=secretary_a1, contacted_on=date(2026, 11, 2),
                                 channel="wechat", contact_person="李联系人", reached=False)
    assert ContactAttempt.objects.get().reached is False
    with pytest.raises(ValidationError):
        services.contact_attempt_add(member=member, acting_user=secretary_a1,
                                     contacted_on=timezone.localdate() + timedelta(days=1), channel="phone",
                                     contact_person="李")
    with pytest.raises(ValidationError):
        services.location_change_add(member=member, acting_user=secretary_a1, place="苏州",
                                     contact_made_on=date(2026, 5, 1), left_on=date(2026, 4, 1))
    change = services.location_change_add(member=member, acting_user=secretary_a1, place="苏州",
                                          contact_made_on=date(2026, 5, 1), left_on=date(2026, 6, 1))
    assert change.recorded_by == tree.branch_a1
    services.thought_report_add(member=member, acting_user=secretary_a1, received_on=date(2026, 6, 1), summary="x")


def test_receiving_organization_follows_the_destination_rule(member, secretary_a1):
    outflow = register(member, secretary_a1, receiving_organization_name="", unit_has_party_org=False,
                       supervising_department="上海市建设委员会")
    assert outflow.introduction_letter.receiving_organization_name == "上海市建设委员会党组织"


def test_invalid_phone_is_refused(member, secretary_a1):
    with pytest.raises(ValidationError) as exc:
        register(member, secretary_a1, phone="12345")
    assert "phone" in exc.value.message_dict
    assert not Outflow.objects.exists()


def test_letter_expires_after_its_validity(member, secretary_a1, reviewer_a):
    outflow = register(member, secretary_a1, letter_valid_days=30)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = IntroductionLetter.objects.get(outflow=outflow)
    assert not letter.is_expired
    IntroductionLetter.objects.filter(pk=letter.pk).update(issued_on=timezone.localdate() - timedelta(days=31))
    assert IntroductionLetter.objects.get(pk=letter.pk).is_expired


def test_database_refuses_a_second_open_outflow_even_without_the_service(member, secretary_a1):
    from django.db import IntegrityError, transaction

    first = register(member, secretary_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outflow.objects.create(**{f.attname: getattr(first, f.attname) for f in Outflow._meta.concrete_fields
                                  if not f.primary_key})


def test_a_member_no_longer_in_the_organization_cannot_go_away(member, secretary_a1, reviewer_a):
    """Former members are kept for history only: no outflow is registered for them."""
    from members.choices import DecisionKind
    from members.membership import membership_status_change
    membership_status_change(member=member, kind=DecisionKind.LAPSE, acting_user=reviewer_a, proposed_by=secretary_a1,
                             decided_on=timezone.localdate(), document_number="镇党委〔2026〕11号")
    with pytest.raises(ValidationError, match="已不在党组织中"):
        register(member, secretary_a1)
