import pytest
from django.core.management import call_command
from django.utils import timezone

from members.models import ContactAttempt, OrganizationalLife
from reports.periods import month_starts


def _records():
    return (sorted(ContactAttempt.objects.values_list("member__id_number", "contacted_on", "reached")),
            sorted(OrganizationalLife.objects.values_list("member__id_number", "attended_on", "kind")))


@pytest.mark.django_db
def test_demo_records_are_deterministic_idempotent_and_in_the_last_year(django_assert_max_num_queries):
    call_command("seed_demo", members=120, password="x-12345-word", stdout=open("/dev/null", "w"))
    with django_assert_max_num_queries(70):  # set-based records, then the daily scans: no query per member
        call_command("seed_demo_records", stdout=open("/dev/null", "w"))
    contacts, life = _records()
    assert contacts and life
    today = timezone.localdate()
    first_month = month_starts(today, 12)[0]
    assert all(first_month <= day <= today for _member, day, _x in contacts + life)
    call_command("seed_demo_records", stdout=open("/dev/null", "w"))
    assert _records() == (contacts, life)


@pytest.mark.django_db
def test_demo_records_need_the_demo_county():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo_records", stdout=open("/dev/null", "w"))


@pytest.mark.django_db
def test_a_fresh_demo_county_has_flags_cases_and_reminders_for_every_role():
    """``make run``'s seeding ends with the daily scans, once, so the demo opens on work to do."""
    from accounts.models import User
    from jobs.models import InactivityFlag, LostContactCase
    from notifications.models import Notification

    quiet = open("/dev/null", "w")
    call_command("seed_demo", members=120, password="x-12345-word", stdout=quiet)
    call_command("seed_demo_transfers", stdout=quiet)
    call_command("seed_demo_records", stdout=quiet)
    assert InactivityFlag.objects.open().exists() and LostContactCase.objects.open().exists()
    for username in ("secretary", "committee"):
        assert Notification.objects.filter(recipient=User.objects.get(username=username)).exists(), username
    counts = (InactivityFlag.objects.count(), LostContactCase.objects.count(), Notification.objects.count())
    call_command("seed_demo_records", stdout=quiet)
    assert (InactivityFlag.objects.count(), LostContactCase.objects.count(), Notification.objects.count()) == counts
