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
    with django_assert_max_num_queries(30):  # set-based: no query per member (SQLite splits big inserts)
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
