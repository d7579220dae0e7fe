"""Give the demo county's members away a year of contacts and organizational life (run after seed_demo).

So the dashboard's contact-rate and organizational-life lines have something
to show. Deterministic and idempotent: each member's months are drawn from a
generator seeded with the member's ID number and the month, and a month that
already holds a record of that kind for the member is left alone. Set-based:
two reads of what exists, two bulk inserts. One member in ``LOST_EVERY``
have not been reached for the last ``LOST_MONTHS`` months, so the county has
lost-contact cases to work on.

It ends with the daily scans and reminders, once, as of the demo's date (today,
the last day the records cover), as the beat would run them overnight: a fresh
``make run`` opens on a living county, with inactivity flags, lost-contact
cases and reminders in the bell of every role. The scans are idempotent, so
running the command again adds nothing twice.
"""
import random
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from jobs.reminders import REMINDERS
from jobs.scans import inactivity_scan
from members.choices import ContactChannel, LifeKind, MobilityStatus
from members.management.commands.seed_demo import COUNTY, SEED
from members.models import ContactAttempt, Member, OrganizationalLife
from organizations.models import Organization
from reports.periods import month_starts

MONTHS = 12
CONTACT_CHANCE, REACHED_CHANCE, LIFE_CHANCE = 0.75, 0.85, 0.55
LOST_EVERY, LOST_MONTHS = 30, 7
CHANNELS = (ContactChannel.PHONE, ContactChannel.PHONE, ContactChannel.WECHAT, ContactChannel.ONLINE_MEETING)
LIFE_KINDS = ((LifeKind.THEME_DAY, "主题党日：学习党的二十届三中全会精神"), (LifeKind.PARTY_CLASS, "线上党课"),
              (LifeKind.BRANCH_MEETING, "支部党员大会（线上参加）"))


def _existing(model, date_field: str, members) -> set[tuple[int, date]]:
    """(member, month) pairs that already hold a record of ``model`` (one query)."""
    rows = (model.objects.filter(member__in=members).annotate(month=TruncMonth(date_field))
            .order_by().values_list("member_id", "month").distinct())
    return {(member_id, month.date() if hasattr(month, "date") else month) for member_id, month in rows}


class Command(BaseCommand):
    help = "为演示县的外出党员生成近12个月的联系记录和组织生活记录，需先运行 seed_demo。"

    @transaction.atomic
    def handle(self, *args, **options):
        county = Organization.objects.filter(code=COUNTY[0]).first()
        recorder = User.objects.filter(username="county").first()
        if county is None or recorder is None:
            raise CommandError("请先运行 seed_demo。")
        today = timezone.localdate()
        months = month_starts(today, MONTHS)
        members = list(Member.objects.filter(organization__path__startswith=county.path,
                                             mobility_status=MobilityStatus.OUTFLOW)
                       .order_by("id").values_list("id", "id_number", "organization_id"))
        member_ids = [pk for pk, _id_number, _org in members]
        contacted = _existing(ContactAttempt, "contacted_on", member_ids)
        attended = _existing(OrganizationalLife, "attended_on", member_ids)
        contacts, life = [], []
        for position, (pk, id_number, organization_id) in enumerate(members):
            lost = position % LOST_EVERY == 0
            for index, month in enumerate(months):
                rng = random.Random(f"{SEED}-{id_number}-{month:%Y%m}")
                last_day = today.day if (month.year, month.month) == (today.year, today.month) else 28
                # every draw is made whatever exists, so a month's records never depend on the others
                wants_contact, reached = rng.random() < CONTACT_CHANCE, rng.random() < REACHED_CHANCE
                if lost and index >= MONTHS - LOST_MONTHS:  # tried every month, never reached
                    wants_contact, reached = True, False
                channel = rng.choice(CHANNELS)
                contact_day, life_day = rng.randint(1, last_day), rng.randint(1, last_day)
                wants_life, (kind, content) = rng.random() < LIFE_CHANCE, rng.choice(LIFE_KINDS)
                common = dict(member_id=pk, recorded_by_id=organization_id, created_by=recorder)
                if wants_contact and (pk, month) not in contacted:
                    contacts.append(ContactAttempt(
                        **common, contacted_on=month.replace(day=contact_day), channel=channel,
                        contact_person="支部书记", reached=reached, notes="了解外出期间工作生活情况，提醒按时交纳党费。"))
                if wants_life and (pk, month) not in attended:
                    life.append(OrganizationalLife(**common, attended_on=month.replace(day=life_day), kind=kind,
                                                   content=content))
        ContactAttempt.objects.bulk_create(contacts, batch_size=2000)
        OrganizationalLife.objects.bulk_create(life, batch_size=2000)
        self.stdout.write(self.style.SUCCESS(
            f"已为 {len(members)} 名外出党员新增 {len(contacts)} 条联系记录、{len(life)} 条组织生活记录（近{MONTHS}个月）。"))
        self._daily_scans(today)

    def _daily_scans(self, today: date) -> None:
        """The scans and reminders of the beat schedule, once, as of ``today``."""
        for line in inactivity_scan(today=today).lines():
            self.stdout.write(line)
        for which in ("monthly", "quarterly", "deadlines"):
            for line in REMINDERS[which](today=today).lines():
                self.stdout.write(line)
