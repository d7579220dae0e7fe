"""Give the demo county's first branch a few outflow registrations (run after seed_demo).

Deterministic and idempotent: the records are made through the real
services from the members seed_demo created; a branch that already has
outflow registrations is left alone. Every other member seed_demo marked
away gets the registration a roster import gives (``transfers.migrated``),
so the demo county's statistics count them.
"""
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from members.choices import MobilityStatus
from members.models import Member
from transfers.migrated import register_migrated_outflows
from transfers.models import Outflow
from transfers.services import outflow_approve, outflow_register

DEMO_OUTFLOWS = 4


class Command(BaseCommand):
    help = "为演示党支部登记几条外出登记（其中一条已审批），需先运行 seed_demo。"

    @transaction.atomic
    def handle(self, *args, **options):
        secretary = User.objects.filter(username="secretary").select_related("organization").first()
        committee = User.objects.filter(username="committee").first()
        if secretary is None or committee is None:
            raise CommandError("请先运行 seed_demo。")
        branch = secretary.organization
        if Outflow.objects.filter(origin_organization=branch).exists():
            self.stdout.write("演示外出登记已存在，未作改动。")
        else:
            self._register_demo_outflows(branch, secretary, committee)
        # The other away members of the demo county, as a roster import would have registered them.
        migrated = register_migrated_outflows(Member.objects.all(), acting_user=committee)
        self.stdout.write(self.style.SUCCESS(f"按名册为 {migrated} 名外出党员登记外出（视为已审批）。"))

    def _register_demo_outflows(self, branch, secretary, committee):
        members = (Member.objects.complete().filter(organization=branch, mobility_status=MobilityStatus.OUTFLOW)
                   .order_by("id")[:DEMO_OUTFLOWS])
        created = []
        for member in members:
            created.append(outflow_register(
                member=member, acting_user=secretary, talk_date=member.departure_date - timedelta(days=3),
                talk_by=secretary.get_full_name(), talk_notes="讲明外出期间参加组织生活、按月交纳党费、定期汇报的义务。",
                departure_date=member.departure_date, expected_months=member.expected_months, purpose="work",
                fixed_place=True, can_transfer=False, returns_often=False,
                destination_division=member.destination_division, abroad_country=member.abroad_country,
                destination_city=member.destination_city,
                destination_address=member.destination_address, host_unit=member.host_unit,
                occupation=member.occupation, trade=member.trade, phone=member.phone,
                other_contact=member.other_contact, liaison=member.liaison, handling=""))
        if created:
            outflow_approve(outflow=created[0], acting_user=committee)
        self.stdout.write(self.style.SUCCESS(f"已为{branch.name}登记 {len(created)} 条外出登记。"))
