"""Load a realistic demo county: towns, villages, branches, members, logins.

Deterministic and idempotent: running it twice changes nothing the second
time; the same ``--members`` gives the same people.
"""
import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import Role
from members import dues
from members.choices import DestinationUnitKind, Education, FormerOccupation, Gender, MembershipType, MobilityStatus
from members.demo import PersonGenerator
from members.models import Member
from organizations.choices import OrganizationKind
from organizations.models import Organization
from places.display import read_place_text

COUNTY = ("222424", "中共汪清县委员会")
TOWNS = [
    ("22242401", "中共百草沟镇委员会", ["百草沟", "北大", "大柳树", "新华", "长荣", "东新", "河北", "凤林", "仁和", "和平", "西崴子", "新兴"]),
    ("22242402", "中共汪清镇委员会", ["东光", "西崴", "红日", "大川", "新民", "龙泉", "双河", "前进", "长安", "东兴", "向阳"]),
    ("22242403", "中共大兴沟镇委员会", ["大兴沟", "红太平", "新田", "和信", "太平", "兴农", "腰营", "东沟", "天桥岭", "杜荒子", "大坎", "小汪清"]),
]
SEED = 20261125


class Command(BaseCommand):
    help = "载入演示数据：一个县、3个镇、约35个村（社区）党支部、党员和各角色登录账号。"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=800, help="党员人数（默认800）")
        parser.add_argument("--password", default="demo12345", help="演示账号密码（默认 demo12345）")

    @transaction.atomic
    def handle(self, *args, members, password, **options):
        county, branches = self._organizations()
        created = self._members(branches, members)
        self._users(county, branches, password)
        self.stdout.write(self.style.SUCCESS(
            f"演示数据就绪：{Organization.objects.count()} 个党组织，{Member.objects.count()} 名党员（本次新增 {created}）。"
            f" 登录账号 county / committee / secretary / staff，密码 {password}"
        ))

    def _organizations(self):
        county = Organization.objects.filter(code=COUNTY[0]).first() or Organization.objects.add_root(create_kwargs=dict(
            code=COUNTY[0], name=COUNTY[1], kind=OrganizationKind.COUNTY_COMMITTEE, secretary_name="金正国",
            division_code=COUNTY[0]))
        branches = []
        for town_code, town_name, villages in TOWNS:
            town = Organization.objects.filter(code=town_code).first() or Organization.objects.add_child(county, create_kwargs=dict(
                code=town_code, name=town_name, kind=OrganizationKind.TOWN_COMMITTEE))
            for index, village in enumerate(villages, start=1):
                code = f"{town_code}{index:02d}"
                kind_name = "社区党支部" if index == len(villages) else "村党支部"
                branch = Organization.objects.filter(code=code).first() or Organization.objects.add_child(town, create_kwargs=dict(
                    code=code, name=f"{village}{kind_name}", kind=OrganizationKind.BRANCH))
                branches.append(branch)
        return county, branches

    def _members(self, branches, count):
        people = PersonGenerator(SEED)
        existing = set(Member.objects.values_list("id_number", flat=True))
        today = date(2026, 11, 1)
        new = []
        for index in range(count):
            rng = people.rng
            male = rng.random() < 0.62
            birth = people.birth_date()
            id_number = people.id_number(birth, male)
            roll = rng.random()
            status = (MobilityStatus.OUTFLOW if roll < 0.45 else MobilityStatus.INFLOW if roll < 0.50
                      else MobilityStatus.RETURNED if roll < 0.58 else MobilityStatus.AT_HOME)
            probationary = rng.random() < 0.04
            joined = max(birth + timedelta(days=365 * 19), date(2026, 1, 1) - timedelta(days=rng.randrange(400, 365 * 40)))
            member = Member(
                name=people.name(male), gender=Gender.MALE if male else Gender.FEMALE, birth_date=birth,
                id_number=id_number, education=rng.choice(Education.values), joined_date=joined,
                membership_type=MembershipType.PROBATIONARY if probationary else MembershipType.FULL,
                probation_end_date=today + timedelta(days=rng.randrange(10, 300)) if probationary else None,
                organization=branches[index % len(branches)], mobility_status=status, phone=people.phone(),
                dues_paid_where="本支部",
            )
            # An opening balance: paid (on paper) through that month, dues counted from the next one.
            member.dues_paid_through = (today - timedelta(days=30 * rng.randrange(0, 9))).replace(day=1)
            member.dues_start_month = dues.add_months(member.dues_paid_through, 1)
            if status in (MobilityStatus.OUTFLOW, MobilityStatus.INFLOW, MobilityStatus.RETURNED):
                member.departure_date = today - timedelta(days=rng.randrange(20, 1500))
                member.expected_months = rng.choice([3, 6, 8, 12, 24, 36])
                member.occupation, member.trade = people.occupation()
                province, city, address = people.destination()
                member.destination_province, member.destination_city, member.destination_address = province, city, address
                read_place_text(member)
                member.host_unit = rng.choice(["", f"{city}某建设集团", f"{city}某餐饮公司", f"{city}某电子厂"])
                member.other_contact = f"微信 wx{rng.randrange(10**6):06d}"
                # A generator of its own, so the people above stay the same as before these fields existed.
                classes = random.Random(f"{SEED}-{index}")
                member.destination_unit_kind = classes.choice(DestinationUnitKind.values + [""])
                member.former_occupation = classes.choice(FormerOccupation.values + [""])
                # About one record in eight lacks a fact, as real registers do.
                if rng.random() < 0.12:
                    setattr(member, rng.choice(["destination_address", "occupation", "phone"]), "")
            if id_number not in existing:
                new.append(member)
        bulk_create_with_history(new, Member, batch_size=1000)
        self._assign_liaisons(branches)
        return len(new)

    def _assign_liaisons(self, branches):
        """In each branch, the first member at home keeps contact with those away."""
        for branch in branches:
            at_home = Member.objects.filter(organization=branch, mobility_status=MobilityStatus.AT_HOME).order_by("id").first()
            if at_home:
                Member.objects.filter(organization=branch, mobility_status=MobilityStatus.OUTFLOW, liaison__isnull=True).update(liaison=at_home)

    def _users(self, county, branches, password):
        town = Organization.objects.get_parent(branches[0])
        accounts = [
            ("county", "县委组织部管理员", county, Role.DEPARTMENT_ADMIN),
            ("committee", "百草沟镇党委审核人", town, Role.COMMITTEE_REVIEWER),
            ("secretary", "百草沟村党支部书记", branches[0], Role.BRANCH_SECRETARY),
            ("staff", "县委组织部组织员", county, Role.ROSTER_STAFF),
        ]
        for username, full_name, organization, role in accounts:
            user, _ = User.objects.get_or_create(username=username, defaults={"organization": organization, "role": role})
            user.first_name, user.organization, user.role = full_name, organization, role
            user.set_password(password)
            user.save()
