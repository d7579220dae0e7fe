"""What members send from their page, and what the secretary does with it.

Sending writes nothing to the member's record except a successful contact on that day (联系方式
“党员本人报告”), which the contact log, the inactivity and lost-contact scans and the 12-month rule read
like any other. Accepting writes the record through the services of ``members`` and ``transfers``, with
history saying 党员本人报告，经 X 确认.
"""
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity_cards.photos import CONTENT_TYPES, photo_reencoded
from assistance.choices import HelpSource
from assistance.services import open_help_request
from members.choices import ContactChannel
from members.models import ContactAttempt, Member, OrganizationalLife
from members.services import dues_payment_add, member_record_add, member_update
from portal import places
from portal.models import Notice, NoticeRead, PortalLink, Submission, SubmissionPhoto
from transfers.services import location_change_add, thought_report_add

MAX_PHOTOS = 5
#: The fields a member may correct from their page (the place's fields are ``places.PLACE_FIELDS``).
DETAIL_FIELDS = (*places.PLACE_FIELDS, "destination_address", "host_unit", "phone")


def _contact_today(member: Member, today: date) -> None:
    """One successful contact for the day, however many things the member sends that day."""
    if ContactAttempt.objects.filter(member=member, channel=ContactChannel.SELF_REPORT, contacted_on=today).exists():
        return
    contact = ContactAttempt(member=member, recorded_by=member.organization, created_by=None, contacted_on=today,
                             channel=ContactChannel.SELF_REPORT, contact_person=member.name, reached=True,
                             notes=_("党员通过本人链接报告"))
    contact.full_clean()
    contact.save()


@transaction.atomic
def submission_send(*, link: PortalLink, kind: str, data: dict, photos=()) -> Submission:
    """Keep what the member sent for the secretary, and count the day as a successful contact.

    ``photos``: uploaded files, each verified and re-encoded by Pillow (``activity_cards.photos``).
    """
    member = link.member
    if kind == Submission.Kind.DETAILS:
        old = {name: getattr(member, name) for name in DETAIL_FIELDS}
        data = {"old": old, "new": {name: data.get(name, "") for name in DETAIL_FIELDS}}
        if data["old"] == data["new"]:
            data["confirmed"] = True
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传%(n)d张照片。") % {"n": MAX_PHOTOS}})
    encoded = [photo_reencoded(photo) for photo in photos]
    today = timezone.localdate()
    submission = Submission.objects.create(member=member, organization=member.organization, kind=kind,
                                           data=data, sent_on=today)
    for content in encoded:
        extension = content.name.rsplit(".", 1)[-1]
        SubmissionPhoto.objects.create(submission=submission, image=content,
                                       content_type=CONTENT_TYPES[extension])
    _contact_today(member, today)
    return submission


def _decided_reason(acting_user) -> str:
    return _("党员本人报告，经%(name)s确认") % {"name": acting_user.get_full_name() or acting_user.username}


def _lock_pending(submission: Submission, acting_user) -> Submission:
    submission = Submission.objects.select_for_update().select_related("member").get(pk=submission.pk)
    if not Submission.objects.visible_to(acting_user).filter(pk=submission.pk).exists():
        raise PermissionDenied(_("只能处理本组织及下级组织党员的报告。"))
    if submission.status != Submission.Status.PENDING:
        raise ValidationError(_("这条报告已经处理过了。"))
    return submission


@transaction.atomic
def submission_accept(*, submission: Submission, acting_user) -> Submission:
    """Write what the member sent into the record through the registry's own services."""
    submission = _lock_pending(submission, acting_user)
    _APPLY[submission.kind](submission, acting_user)
    submission.status, submission.decided_by, submission.decided_at = (
        Submission.Status.ACCEPTED, acting_user, timezone.now())
    submission.save(update_fields=["status", "decided_by", "decided_at"])
    return submission


@transaction.atomic
def submission_decline(*, submission: Submission, acting_user, reason: str) -> Submission:
    submission = _lock_pending(submission, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("不采纳时必须写明理由。")})
    submission.status, submission.decided_by, submission.decided_at = (
        Submission.Status.DECLINED, acting_user, timezone.now())
    submission.decline_reason = reason.strip()
    submission.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    return submission


def _apply_details(submission: Submission, acting_user) -> None:
    member = submission.member
    new = submission.data["new"]
    changed = {name: new[name] for name in DETAIL_FIELDS if new.get(name, "") != getattr(member, name)}
    if not changed:
        return
    member_update(member=member, expected_version=member.version, acting_user=acting_user,
                  reason=_decided_reason(acting_user), **changed)
    if places.place_changed(changed):
        location_change_add(member=member, acting_user=acting_user, place=places.place_label(new),
                            division=places.place_division(new), contact_made_on=submission.sent_on,
                            notes=_decided_reason(acting_user))


def _apply_thought(submission: Submission, acting_user) -> None:
    thought_report_add(member=submission.member, acting_user=acting_user, received_on=submission.sent_on,
                       summary=submission.data["text"])


def _apply_life(submission: Submission, acting_user) -> None:
    data = submission.data
    member_record_add(record_class=OrganizationalLife, member=submission.member, acting_user=acting_user,
                      attended_on=date.fromisoformat(data["attended_on"]), kind=data["life_kind"],
                      content=f"{data['host']}：{data['topic']}"[:200])


def _apply_dues(submission: Submission, acting_user) -> None:
    data = submission.data
    dues_payment_add(member=submission.member, acting_user=acting_user,
                     first_month=date.fromisoformat(data["first_month"]),
                     last_month=date.fromisoformat(data["last_month"]), amount=Decimal(data["amount"]),
                     paid_on=date.fromisoformat(data["paid_on"]), paid_where=data["paid_where"],
                     receipt_number=data["receipt_number"], reason=_decided_reason(acting_user))


def _apply_help(submission: Submission, acting_user) -> None:
    on_help_request_accepted(submission)


def on_help_request_accepted(submission: Submission) -> None:
    """The one place an accepted 困难求助 leaves the portal: it opens a help record, dated the day it was sent."""
    open_help_request(member=submission.member, kind=submission.data["help_kind"], text=submission.data["text"],
                      source=HelpSource.MEMBER, opened_on=timezone.localtime(submission.sent_at).date())


_APPLY = {
    Submission.Kind.DETAILS: _apply_details,
    Submission.Kind.THOUGHT: _apply_thought,
    Submission.Kind.LIFE: _apply_life,
    Submission.Kind.DUES: _apply_dues,
    Submission.Kind.HELP: _apply_help,
}


@transaction.atomic
def notice_publish(*, acting_user, title: str, body: str, attachment=None) -> Notice:
    """A notice from the user's organization to its members away (and, from a committee, all its branches')."""
    notice = Notice(organization=acting_user.organization, title=title, body=body, created_by=acting_user)
    if attachment is not None:
        notice.attachment_name = attachment.name[-100:]
        notice.attachment = attachment
    notice.full_clean()
    notice.save()
    return notice


def notice_open(*, notice: Notice, member: Member) -> None:
    """Count the member's first opening; later ones change nothing."""
    NoticeRead.objects.get_or_create(notice=notice, member=member)
