from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assistance.choices import DifficultyKind, HelpActionKind, HelpSource, HelpStatus
from assistance.services import open_help_request, record_help_action, resolve_help_request
from members.choices import ContactChannel
from members.models import ContactAttempt


def _open(member, by, **kw):
    return open_help_request(member=member, kind=kw.pop("kind", DifficultyKind.WAGES_OWED),
                             text=kw.pop("text", "工地拖欠3个月工资"), source=kw.pop("source", HelpSource.CONTACT),
                             by=by, **kw)


def test_branch_opens_a_request_at_its_organization(member_a1, secretary_a1):
    request = _open(member_a1, secretary_a1)
    assert request.status == HelpStatus.OPEN and request.recorded_by == secretary_a1.organization
    assert request.created_by == secretary_a1 and request.opened_on == timezone.localdate()
    assert request.history.first().history_user == secretary_a1


def test_members_own_request_goes_to_the_members_branch(member_a1):
    """The member's own page calls ``open_help_request(..., by=None)``: handled by the member's branch."""
    request = open_help_request(member=member_a1, kind=DifficultyKind.ILLNESS, text="住院需要帮助",
                                source=HelpSource.MEMBER, by=None)
    assert request.recorded_by == member_a1.organization and request.created_by is None


def test_another_town_cannot_open_or_act_on_a_request(member_a1, secretary_a1, secretary_b1):
    with pytest.raises(PermissionDenied):
        _open(member_a1, secretary_b1)
    request = _open(member_a1, secretary_a1)
    with pytest.raises(PermissionDenied):
        record_help_action(request=request, kind=HelpActionKind.ERRAND, done_on=timezone.localdate(),
                           done_by="乙镇", what_done="代办", by=secretary_b1)
    with pytest.raises(PermissionDenied):
        resolve_help_request(request=request, solved_on=timezone.localdate(), outcome="x", by=secretary_b1)


def test_a_role_without_the_write_permission_is_refused(member_a1, staff_user):
    with pytest.raises(PermissionDenied):
        _open(member_a1, staff_user)


def test_text_required_and_no_future_dates(member_a1, secretary_a1):
    with pytest.raises(ValidationError) as exc:
        _open(member_a1, secretary_a1, text="  ")
    assert "请写明困难情况。" in str(exc.value)
    with pytest.raises(ValidationError):
        _open(member_a1, secretary_a1, opened_on=timezone.localdate() + timedelta(days=1))


def test_a_visit_is_also_a_contact_record(member_a1, secretary_a1):
    request = _open(member_a1, secretary_a1)
    action = record_help_action(request=request, kind=HelpActionKind.VISIT, done_on=timezone.localdate(),
                                done_by="支委 王某", what_done="上门了解欠薪情况", by=secretary_a1)
    contact = ContactAttempt.objects.get(member=member_a1)
    assert action.contact == contact and contact.channel == ContactChannel.VISIT and contact.reached
    assert request.actions.count() == 1


def test_an_errand_that_solves_closes_the_request(member_a1, secretary_a1):
    request = _open(member_a1, secretary_a1)
    record_help_action(request=request, kind=HelpActionKind.ERRAND, done_on=timezone.localdate(),
                       done_by="支部书记", what_done="代为向劳动监察部门投诉", by=secretary_a1, solved=True)
    request.refresh_from_db()
    assert request.status == HelpStatus.SOLVED and request.solved_on == timezone.localdate()
    assert request.outcome == "代为向劳动监察部门投诉"
    assert not ContactAttempt.objects.exists()
    with pytest.raises(ValidationError):  # a solved request takes no more steps
        record_help_action(request=request, kind=HelpActionKind.OTHER, done_on=timezone.localdate(),
                           done_by="x", what_done="y", by=secretary_a1)


def test_resolve_needs_an_outcome_and_a_date_after_opening(member_a1, secretary_a1):
    today = timezone.localdate()
    request = _open(member_a1, secretary_a1, opened_on=today - timedelta(days=3))
    with pytest.raises(ValidationError):
        resolve_help_request(request=request, solved_on=today, outcome=" ", by=secretary_a1)
    with pytest.raises(ValidationError):
        resolve_help_request(request=request, solved_on=today - timedelta(days=4), outcome="已解决", by=secretary_a1)
    resolve_help_request(request=request, solved_on=today, outcome="工资已追回", by=secretary_a1)
    request.refresh_from_db()
    assert request.status == HelpStatus.SOLVED and request.outcome == "工资已追回"
