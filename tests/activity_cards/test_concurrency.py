"""Race safety on PostgreSQL: concurrent issues draw distinct numbers; one valid card per member."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from activity_cards import services
from activity_cards.models import ActivityCard, CardNumberCounter
from tests.activity_cards.conftest import ISSUE_FIELDS, card_outflow, png_upload
from tests.factories import AwayMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(targets):
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        barrier.wait()
        try:
            outcomes.append(target())
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_issues_get_distinct_numbers(postgres, tree, reviewer_a):
    outflows = [card_outflow(AwayMemberFactory(organization=tree.branch_a1)) for _ in range(6)]
    outcomes = _run_together([
        lambda o=o: services.card_issue(outflow=o, acting_user=reviewer_a, photo=png_upload(),
                                        issued_on=ISSUE_FIELDS["issued_on"])
        for o in outflows
    ])
    numbers = sorted(card.number for card in outcomes)
    assert numbers == [f"222026{serial:06d}" for serial in range(1, 7)]
    assert CardNumberCounter.objects.get().last_serial == 6


def test_concurrent_issues_for_one_member_leave_one_valid_card(postgres, tree, reviewer_a):
    member = AwayMemberFactory(organization=tree.branch_a1)
    outflow = card_outflow(member)
    outcomes = _run_together([
        lambda: services.card_issue(outflow=outflow, acting_user=reviewer_a, photo=png_upload(),
                                    issued_on=ISSUE_FIELDS["issued_on"])
        for _ in range(3)
    ])
    assert sum(isinstance(o, ActivityCard) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 2
    assert ActivityCard.objects.filter(member=member).count() == 1
