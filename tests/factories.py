"""factory-boy factories. Organizations are created through treebeard's API."""
import itertools
from datetime import date

import factory

from accounts.models import User
from accounts.roles import Role
from members import dues
from members.choices import Education, Gender, MobilityStatus
from members.demo import PersonGenerator
from members.models import Member
from organizations.choices import OrganizationKind
from organizations.models import Organization
from places.parser import parse_place

_codes = itertools.count(1)


def _place(member):
    place = parse_place(f"{member.destination_country}{member.destination_province}{member.destination_city}")
    return place if place.precise else parse_place("")
_people = PersonGenerator(seed=7, region_code="110105")


class OrganizationFactory(factory.django.DjangoModelFactory):
    """``OrganizationFactory(parent=town)`` adds a child; without a parent, a root."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试党组织{n}")
    code = factory.LazyFunction(lambda: f"T{next(_codes):08d}")
    kind = OrganizationKind.BRANCH

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.objects.add_root(create_kwargs=kwargs)
        return model_class.objects.add_child(parent, create_kwargs=kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.BRANCH_SECRETARY
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.PostGenerationMethodCall("set_password", "pass-12345-word")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def _person():
    male = _people.rng.random() < 0.5
    birth = _people.birth_date()
    return {
        "gender": Gender.MALE if male else Gender.FEMALE,
        "birth_date": birth,
        "id_number": _people.id_number(birth, male),
        "name": _people.name(male),
    }


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        exclude = ("person",)

    person = factory.LazyFunction(_person)
    name = factory.LazyAttribute(lambda o: o.person["name"])
    gender = factory.LazyAttribute(lambda o: o.person["gender"])
    birth_date = factory.LazyAttribute(lambda o: o.person["birth_date"])
    id_number = factory.LazyAttribute(lambda o: o.person["id_number"])
    education = Education.HIGH_SCHOOL
    joined_date = factory.LazyAttribute(lambda o: date(o.person["birth_date"].year + 25, 7, 1))
    organization = factory.SubFactory(OrganizationFactory)
    mobility_status = MobilityStatus.AT_HOME
    phone = factory.LazyFunction(_people.phone)
    dues_paid_through = date(2026, 10, 1)
    #: A 党费缴至 given without payments is an opening balance: dues are counted from the month after it.
    dues_start_month = factory.LazyAttribute(
        lambda o: dues.add_months(o.dues_paid_through, 1) if o.dues_paid_through else None)


class AwayMemberFactory(MemberFactory):
    """A member away with all six facts recorded."""

    mobility_status = MobilityStatus.OUTFLOW
    departure_date = date(2026, 3, 1)
    expected_months = 12
    occupation = "建筑工人"
    trade = "construction"
    destination_country = ""
    destination_province = "上海市"
    destination_city = "上海市"
    destination_address = "上海市人民路1号"
    # The codes read from the text, as the migration and the roster import do (``places.parser``).
    destination_division_id = factory.LazyAttribute(lambda member: _place(member).division_code or None)
    abroad_country_id = factory.LazyAttribute(lambda member: _place(member).country_code or None)
    host_unit = "上海某建设集团"


def approved_outflow(member, *, approved_on=None, handling=None, **fields):
    """An approved outflow of ``member`` (from its six facts), approved on ``approved_on``.

    The services stamp the approval step with the current time; statistics
    count a registration from its approval day, so tests set that day here.
    """
    from transfers.choices import Handling, OutflowStatus, Purpose, StepAction
    from transfers.models import Outflow, OutflowStep

    actor = UserFactory(organization=member.organization, role=Role.BRANCH_SECRETARY)
    abroad = bool(member.destination_country)
    handling = handling or (Handling.ABROAD if abroad else Handling.ACTIVITY_CARD)
    values = dict(
        member=member, origin_organization=member.organization, status=OutflowStatus.APPROVED,
        talk_date=member.departure_date, talk_by="王支书", departure_date=member.departure_date,
        expected_months=member.expected_months or 12, purpose=Purpose.WORK,
        destination_country=member.destination_country, destination_province=member.destination_province,
        destination_city=member.destination_city, destination_address=member.destination_address or "某地",
        destination_division_id=member.destination_division_id, abroad_country_id=member.abroad_country_id,
        host_unit=member.host_unit, destination_unit_kind=member.destination_unit_kind,
        former_occupation=member.former_occupation, occupation=member.occupation or "职工",
        trade=member.trade, recommended_handling=handling, recommendation_reason="按规定",
        handling=handling, created_by=actor)
    values.update(fields)
    outflow = Outflow.objects.create(**values)
    OutflowStep.objects.create(outflow=outflow, action=StepAction.APPROVED, actor=actor,
                               organization=member.organization)
    return approved_on_day(outflow, approved_on or outflow.departure_date)


def approved_on_day(outflow, day):
    """Date an outflow's approval (and the letter it issued) ``day``: the services stamp today."""
    from datetime import datetime, time

    from django.utils import timezone

    from transfers.choices import StepAction
    from transfers.models import CertificateLetter, IntroductionLetter, OutflowStep

    OutflowStep.objects.filter(outflow=outflow, action=StepAction.APPROVED).update(
        at=datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone()))
    IntroductionLetter.objects.filter(outflow=outflow, issued_on__isnull=False).update(issued_on=day)
    CertificateLetter.objects.filter(outflow=outflow, issued_on__isnull=False).update(issued_on=day)
    return outflow


class MobileMemberFactory(AwayMemberFactory):
    """A member away whom the statistics count: with an approved long-term outflow (``transfers.mobile_members``)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def counted_outflow(obj, create, extracted, **kwargs):
        if create:
            approved_outflow(obj, **kwargs)
