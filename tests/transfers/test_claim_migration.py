"""The data steps of the migration that brought check codes and claims, run on existing rows."""
from importlib import import_module

from django.apps import apps

from members.models import Member
from transfers import services
from transfers.models import CertificateLetter, IntroductionLetter
from tests.factories import MemberFactory
from tests.transfers.helpers import register

migration = import_module("transfers.migrations.0002_claims_check_codes_and_inflow_attempts")


def test_every_existing_letter_gets_its_own_check_code(tree, secretary_a1):
    for _ in range(3):
        register(MemberFactory(organization=tree.branch_a1), secretary_a1)
    register(MemberFactory(organization=tree.branch_a1), secretary_a1, expected_months=2, purpose="meeting")
    IntroductionLetter.objects.update(check_code="SAMECODE")  # what AddField leaves on existing rows
    CertificateLetter.objects.update(check_code="SAMECODE")
    migration.give_each_letter_its_own_code(apps, None)
    codes = list(IntroductionLetter.objects.values_list("check_code", flat=True)) + list(
        CertificateLetter.objects.values_list("check_code", flat=True))
    assert len(codes) == 4 and len(set(codes)) == 4 and "SAMECODE" not in codes


def test_members_of_unapproved_transfers_are_hidden_from_the_receiver_again(tree, secretary_a1, reviewer_a):
    waiting = MemberFactory(organization=tree.branch_a1)
    approved = MemberFactory(organization=tree.branch_a1)
    register(waiting, secretary_a1, receiving_organization=tree.branch_b1, receiving_organization_name="")
    services.outflow_approve(outflow=register(approved, secretary_a1, receiving_organization=tree.branch_b1,
                                              receiving_organization_name=""), acting_user=reviewer_a)
    Member.objects.filter(pk=waiting.pk).update(host_organization=tree.branch_b1)  # as registration used to do
    migration.hide_members_from_receivers_before_approval(apps, None)
    assert Member.objects.get(pk=waiting.pk).host_organization is None
    assert Member.objects.get(pk=approved.pk).host_organization == tree.branch_b1
