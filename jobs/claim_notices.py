"""Tell the origin that a host has claimed one of its members (transfers cannot import notifications)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from jobs.recipients import committee_reviewers_above
from notifications.choices import NotificationKind
from notifications.services import notifications_create


def notify_origin_of_claim(sender, *, claim, **kwargs):
    """The member's branch secretaries and the committees above decide; each gets one notice per claim."""
    member = claim.member
    secretaries = User.objects.filter(organization=member.organization, role=Role.BRANCH_SECRETARY, is_active=True)
    notifications_create(
        recipients=[*secretaries, *committee_reviewers_above(member.organization)],
        kind=NotificationKind.APPROVAL_NEEDED, subject_key=f"member:{member.pk}", period=f"claim-{claim.pk}",
        title=_("待确认：%(host)s 申请将 %(member)s 编入") % {"host": claim.host_organization.name, "member": member.name},
        body=_("流入地党组织凭%(kind)s（编号 %(number)s）及核验码提出认领申请，请核实后确认或不同意。") % {
            "kind": claim.get_document_kind_display(), "number": claim.document_number},
        member=member, link=reverse("transfers:claim_list"))
