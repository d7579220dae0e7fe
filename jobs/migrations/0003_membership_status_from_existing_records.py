"""Give every existing member the standing its records already say, with the decision on record.

- 组织关系已转出 was a mobility status: it becomes the membership status, the
  mobility status goes back to 在家, and the decision row carries the
  introduction letter's number and receipt date where there is one.
- An approved 自行脱党 (inactivity flag) → lapsed; an approved 停止党籍 (a
  lost-contact case suspended or with removal proposed) → suspended since
  its date; an approved 除名 → removed.

Rows are only updated or added, never deleted. A decision migrated without a
document number carries ``LEGACY_DOCUMENT`` so the committee can complete it.
"""
from django.db import migrations

LEGACY_DOCUMENT = "系统升级前已决定（文号待补录）"


def _decide(Decision, member, kind, on, number, reason):
    Decision.objects.create(member=member, kind=kind, status="approved", organization_id=member.organization_id,
                            reason=reason, proposed_on=on, decided_on=on, document_number=number or LEGACY_DOCUMENT)


def forwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Decision = apps.get_model("members", "MembershipDecision")
    Letter = apps.get_model("transfers", "IntroductionLetter")
    Flag = apps.get_model("jobs", "InactivityFlag")
    Case = apps.get_model("jobs", "LostContactCase")

    for member in Member.objects.filter(mobility_status="transferred_out"):
        letter = (Letter.objects.filter(outflow__member=member, status="received").order_by("-received_on").first())
        on = (letter and letter.received_on) or member.updated_at.date()
        member.membership_status, member.membership_status_since, member.mobility_status = "transferred_out", on, "at_home"
        member.save(update_fields=["membership_status", "membership_status_since", "mobility_status"])
        _decide(Decision, member, "transfer_out", on, letter and letter.number,
                "组织关系已转出（系统升级前登记）")

    for flag in Flag.objects.filter(status="lapse_approved", member__membership_status="active").select_related("member"):
        member, on = flag.member, flag.decided_on or flag.flagged_on
        member.membership_status, member.membership_status_since = "lapsed", on
        member.save(update_fields=["membership_status", "membership_status_since"])
        _decide(Decision, member, "lapse", on, "", flag.proposal_reason)

    for case in (Case.objects.filter(status__in=["suspended", "removal_proposed", "removed"],
                                     member__membership_status="active").select_related("member")):
        member = case.member
        suspended_on = case.suspended_on or case.decided_on or case.opened_on
        member.membership_status, member.membership_status_since = "suspended", suspended_on
        _decide(Decision, member, "suspend", suspended_on, "", case.proposal_reason)
        if case.status == "removed":
            on = case.decided_on or suspended_on
            member.membership_status, member.membership_status_since = "removed", on
            _decide(Decision, member, "remove", on, "", case.proposal_reason)
        member.save(update_fields=["membership_status", "membership_status_since"])


def backwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Member.objects.filter(membership_status="transferred_out").update(mobility_status="transferred_out")


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0002_scheduled_job_run"),
        ("members", "0015_membership_status_and_decisions"),
        ("transfers", "0003_return_check_dates"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
