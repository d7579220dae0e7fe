"""Deadline rules for documents: activity cards (yearly verification, 3-year
replacement) and introduction letters (validity, returned receipt).

Each is one set-based rule joined into ``jobs.reminders.deadline_rules``; the
reminder goes to the secretaries of the member's branch, once a month while
the matter stays open.
"""
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import CharField, DateField, Exists, F, Func, OuterRef, Subquery, Value
from django.utils import timezone
from django.db.models.functions import Cast, Coalesce, Concat, ExtractDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from activity_cards.models import (
    DUE_SOON_DAYS,
    REPLACE_AFTER_YEARS,
    VERIFY_EVERY_DAYS,
    ActivityCard,
    CardVerification,
    years_after,
)
from activity_cards.selectors import outflows_awaiting_card
from jobs.deadlines import DeadlineRule, month_key
from jobs.recipients import committee_reviewers_above, path_and_ancestors
from jobs.windows import end_of_day
from members.models import Member
from notifications.choices import NotificationKind
from notifications.models import Notification
from transfers.choices import LetterStatus, StepAction
from transfers.models import IntroductionLetter, OutflowStep
from transfers.rules import LETTER_EXPIRY_NOTICE_DAYS, RECEIPT_RETURN_MONTHS


def card_verification_due(today: date) -> DeadlineRule:
    """A valid card not verified for a year (or issued a year ago and never verified), 30 days ahead."""
    last_verified = CardVerification.objects.filter(card=OuterRef("pk")).order_by("-verified_on").values("verified_on")[:1]
    cutoff = today - timedelta(days=VERIFY_EVERY_DAYS - DUE_SOON_DAYS)
    due = (ActivityCard.objects.valid().filter(member=OuterRef("pk"))
           .annotate(last_checked=Coalesce(Subquery(last_verified), "issued_on"))
           .filter(last_checked__lte=cutoff))
    return DeadlineRule(
        kind=NotificationKind.CARD_VERIFICATION_DUE,
        members=Member.objects.in_registry().filter(Exists(due)),
        period=month_key(today),
        title=_("活动证年度查验到期"),
        body=Value(_("流动党员活动证每年至少查验一次，请安排查验并登记结果。")),
    )


def card_replacement_due(today: date) -> DeadlineRule:
    """A valid card that reaches 3 years within 30 days: replace it with a new one."""
    cutoff = years_after(today + timedelta(days=DUE_SOON_DAYS), -REPLACE_AFTER_YEARS)
    due = ActivityCard.objects.valid().filter(member=OuterRef("pk"), issued_on__lte=cutoff)
    return DeadlineRule(
        kind=NotificationKind.CARD_REPLACEMENT_DUE,
        members=Member.objects.in_registry().filter(Exists(due)),
        period=month_key(today),
        title=_("活动证使用满3年需换发"),
        body=Value(_("活动证使用满3年应换发新证，请办理换发。")),
    )


class AddDays(Func):
    """``date_expression + integer_expression`` days, as a date, on PostgreSQL and SQLite."""

    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s || ' days')",
                           arg_joiner=", '+' || ", **extra)


def day_label_expression(expression):
    """SQL for a date as written on pages and notifications: 2026年12月30日."""
    return Concat(*(part for unit, extract in (("年", ExtractYear), ("月", ExtractMonth), ("日", ExtractDay))
                    for part in (Cast(extract(expression), CharField()), Value(unit))), output_field=CharField())


def _issued_letters():
    return IntroductionLetter.objects.filter(status=LetterStatus.ISSUED, outflow__member=OuterRef("pk"))


def _unreceived_letters():
    """Issued letters nobody has got yet, with ``expires_on``, their last valid day (issued on day 0, a 30-day
    letter is good through day 30). Once the receiver has got a letter (``received_on``) only the receipt rule
    applies: a letter is about to expire, expired, or waiting for its receipt, never two at once."""
    return (_issued_letters().filter(received_on__isnull=True)
            .annotate(expires_on=AddDays(F("issued_on"), F("valid_days"))))


def letter_expiring(today: date) -> DeadlineRule:
    """Not yet received, within 7 days of its last valid day and through that day: once per letter.

    Before it expires, so that the member can still report with it; after,
    only a reissued letter can be received (``letter_expired``).
    """
    expiring = _unreceived_letters().filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=LETTER_EXPIRY_NOTICE_DAYS))
    return DeadlineRule(
        kind=NotificationKind.LETTER_EXPIRING,
        members=Member.objects.in_registry().filter(Exists(expiring)),
        period=Subquery(expiring.values("number")[:1]),
        title=_("组织关系介绍信即将过期，尚未接收"),
        body=Concat(Value(_("介绍信有效期至")),
                    day_label_expression(Subquery(expiring.values("expires_on")[:1], output_field=DateField())),
                    Value(_("。请督促党员在有效期内到接收党组织报到；过期后须由党(工)委重新开具。")),
                    output_field=CharField()),
    )


def letter_expired(today: date) -> DeadlineRule:
    """Issued, not yet received by anyone, and past its validity (30 days as a rule, at most 3 months)."""
    expired = _unreceived_letters().filter(expires_on__lt=today)
    return DeadlineRule(
        kind=NotificationKind.LETTER_EXPIRED,
        members=Member.objects.in_registry().filter(Exists(expired)),
        period=month_key(today),
        title=_("组织关系介绍信已过有效期，尚未接收"),
        body=Value(_("请与接收党组织联系，确认党员是否已报到；需要时重新开具介绍信。")),
    )


def letter_receipt_overdue(today: date) -> DeadlineRule:
    """Got by an organization outside the system a month ago, and the receipt (回执) has not come back.

    The month counts from the day the receiver got the letter, not from the
    day it was issued; a receiver in the system confirms in the system.
    """
    overdue = _issued_letters().filter(receiving_organization__isnull=True,
                                       received_on__lte=today - relativedelta(months=RECEIPT_RETURN_MONTHS))
    return DeadlineRule(
        kind=NotificationKind.LETTER_RECEIPT_OVERDUE,
        members=Member.objects.in_registry().filter(Exists(overdue)),
        period=month_key(today),
        title=_("介绍信回执逾期未返回"),
        body=Value(_("接收党组织应在收到介绍信后1个月内寄回回执，请催办并在收到后登记。")),
    )


DOCUMENT_DEADLINE_RULES = [card_verification_due, card_replacement_due, letter_expiring, letter_expired,
                           letter_receipt_overdue]


#: An approved outflow with handling 发放活动证 and no card after this many days reminds the issuing committee.
CARD_ISSUE_DAYS = 30


def card_not_issued_notify(today: date) -> int:
    """Approved for an activity card more than 30 days ago and no card issued from it: tell the committees above.

    Four queries whatever the numbers: the outflows due, the reviewers of
    the committees above their branches, the reminders already sent this
    month, one insert of the rest (one per reviewer, member and month).
    """
    approved_at = (OutflowStep.objects.filter(outflow=OuterRef("pk"), action=StepAction.APPROVED)
                   .order_by("-at").values("at")[:1])
    due = list(outflows_awaiting_card().filter(member__in=Member.objects.in_registry())
               .annotate(approved_at=Subquery(approved_at))
               .filter(approved_at__lt=end_of_day(today - timedelta(days=CARD_ISSUE_DAYS + 1)))
               .select_related("member", "origin_organization"))
    if not due:
        return 0
    reviewers = list(committee_reviewers_above(*{outflow.origin_organization for outflow in due})
                     .values_list("pk", "organization__path"))
    period = today.strftime("%Y-%m")
    sent = set(Notification.objects.filter(kind=NotificationKind.CARD_NOT_ISSUED, period=period)
               .values_list("recipient_id", "subject_key"))
    rows = [Notification(
        recipient_id=user_id, kind=NotificationKind.CARD_NOT_ISSUED, subject_key=f"member:{outflow.member_id}",
        period=period, member_id=outflow.member_id, created_at=timezone.now(),
        title=_("批准发放活动证已满30天仍未发证：%(name)s") % {"name": outflow.member.name},
        body=_("外出登记已批准发放流动党员活动证，请在外出登记页面点击“发放活动证”办理。"))
        for outflow in due for user_id, path in reviewers
        if path in path_and_ancestors(outflow.origin_organization.path)
        and (user_id, f"member:{outflow.member_id}") not in sent]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))
