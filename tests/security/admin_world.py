"""The admin's attack world: the same records in town A and in town B, built through the real services.

The attacker is a department admin of ONE town (role department_admin, organization town A); what town B
holds must stay out of their sight and reach in every admin page.
"""
from datetime import date

from accounts.roles import Role
from activity_cards.models import ActivityCard
from tests.activity_cards.conftest import issue_card
from jobs.choices import InactivityCondition
from jobs.models import InactivityFlag
from members.models import Member
from organizations.models import Organization
from reports.models import QuarterlyReport
from reports.periods import Quarter
from reports.services import report_start
from tests.activity_cards.conftest import ISSUE_FIELDS, png_upload
from tests.factories import AwayMemberFactory, UserFactory, _person
from tests.transfers.helpers import register
from transfers.choices import Purpose
from transfers.models import CertificateLetter, Inflow, IntroductionLetter, LocationChange, Outflow, OutflowStep
from transfers.services import inflow_register, location_change_add, outflow_approve


def build_town(branch, committee):
    """One of everything the admin shows, held by ``branch`` (a branch of the town ``committee``)."""
    secretary = UserFactory(organization=branch, role=Role.BRANCH_SECRETARY)
    reviewer = UserFactory(organization=committee, role=Role.COMMITTEE_REVIEWER)
    member = AwayMemberFactory(organization=branch)
    outflow = register(member, secretary)
    outflow_approve(outflow=outflow, acting_user=reviewer)
    short = register(AwayMemberFactory(organization=branch), secretary, expected_months=2, purpose=Purpose.MEETING)
    outflow_approve(outflow=short, acting_user=reviewer)
    carded = AwayMemberFactory(organization=branch)
    card = issue_card(member=carded, acting_user=reviewer, photo=png_upload(), **ISSUE_FIELDS)
    person = _person()
    inflow = inflow_register(
        host_organization=branch, acting_user=secretary, id_number=person.pop("id_number"),
        arrived_on=date(2026, 10, 1), document_kind="none", origin_organization_name="外省某村党支部",
        hidden_member=True, new_member_fields=dict(person, joined_date=date(2010, 7, 1), education="high_school"))
    location = location_change_add(member=member, acting_user=secretary, place="上海市浦东新区",
                                   contact_made_on=date(2026, 11, 1))
    report = report_start(organization=branch, quarter=Quarter(2026, 3), acting_user=secretary)
    flag = InactivityFlag.objects.create(member=carded, condition=InactivityCondition.DUES,
                                         flagged_on=date(2026, 11, 1), last_record_on=date(2026, 3, 1))
    member.refresh_from_db()
    return {
        Organization: branch, Member: member, Outflow: outflow, OutflowStep: outflow.steps.first(),
        IntroductionLetter: outflow.introduction_letter, CertificateLetter: short.certificate_letter,
        Inflow: inflow, LocationChange: location, ActivityCard: card, QuarterlyReport: report,
        InactivityFlag: flag, "secretary": secretary, "reviewer": reviewer,
    }


def build_world(tree):
    town_admin = UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)
    town_b_admin = UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)
    a, b = build_town(tree.branch_a1, tree.town_a), build_town(tree.branch_b1, tree.town_b)
    a[Organization], b[Organization] = tree.branch_a1, tree.branch_b1
    return type("World", (), dict(tree=tree, a=a, b=b, town_admin=town_admin, town_b_admin=town_b_admin))


def snapshot():
    """What an admin write would change: row counts, the tree, members' places and workflow statuses."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    counts = [model.objects.count() for model in (Organization, Member, Outflow, OutflowStep, IntroductionLetter,
                                                     CertificateLetter, Inflow, LocationChange, ActivityCard,
                                                     QuarterlyReport, InactivityFlag, User)]
    return (counts
            + list(Organization.objects.order_by("pk").values_list("pk", "path", "name"))
            + list(Member.objects.order_by("pk").values_list("pk", "organization_id", "name", "version"))
            + list(Outflow.objects.order_by("pk").values_list("status", flat=True))
            + list(IntroductionLetter.objects.order_by("pk").values_list("status", flat=True))
            + list(ActivityCard.objects.order_by("pk").values_list("status", flat=True))
            + list(QuarterlyReport.objects.order_by("pk").values_list("status", flat=True))
            + list(User.objects.order_by("pk").values_list("organization_id", "role", "is_staff", "is_superuser",
                                                            "is_active", "password")))
