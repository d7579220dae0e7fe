"""The claims page (认领申请): what each side sees, in a fixed number of queries."""
from django.urls import reverse

from transfers import services
from transfers.models import MemberClaim
from tests.factories import MemberFactory
from tests.transfers.helpers import register


def _claims(tree, secretary_a1, reviewer_a, secretary_b1, n):
    for _ in range(n):
        outflow = register(MemberFactory(organization=tree.branch_a1), secretary_a1)
        services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
        letter = outflow.introduction_letter
        services.inflow_register(host_organization=tree.branch_b1, acting_user=secretary_b1,
                                 id_number=outflow.member.id_number, arrived_on=outflow.departure_date,
                                 document_kind="introduction_letter", document_number=letter.number,
                                 check_code=letter.check_code)


def test_claims_page_lists_both_sides_in_a_fixed_number_of_queries(client, tree, secretary_a1, reviewer_a,
                                                                   secretary_b1, django_assert_max_num_queries):
    _claims(tree, secretary_a1, reviewer_a, secretary_b1, 4)
    assert MemberClaim.objects.count() == 4
    for user, section in ((secretary_a1, "to_decide"), (secretary_b1, "made")):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("transfers:claim_list"))
        assert page.status_code == 200 and len(page.context[section]) == 4
    client.force_login(secretary_a1)
    page = client.get(reverse("transfers:inflow_list"))
    assert page.status_code == 200 and page.context["pending_claims"] == 4
    assert '<span class="badge badge-warn">4</span>' in page.content.decode()
