import pytest
from django.core.management import call_command

from transfers.choices import OutflowStatus
from transfers.models import Outflow


@pytest.mark.django_db
def test_demo_outflows_are_deterministic_and_idempotent():
    call_command("seed_demo", members=200, password="x-12345-word", stdout=open("/dev/null", "w"))
    call_command("seed_demo_transfers", stdout=open("/dev/null", "w"))
    first = list(Outflow.objects.order_by("id").values_list("member__id_number", "handling", "status"))
    assert first and first[0][2] == OutflowStatus.APPROVED
    call_command("seed_demo_transfers", stdout=open("/dev/null", "w"))
    assert list(Outflow.objects.order_by("id").values_list("member__id_number", "handling", "status")) == first
