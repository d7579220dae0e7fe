"""Attacks on linking an arriving member to a record of the system (流入登记 and 认领申请).

The attacker is another town's secretary (or its committee or department
admin) who knows a member's ID number and can guess sequential document
numbers. Each test says what the attacker tries and must fail if the
protection were taken away.
"""
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from tests.activity_cards.conftest import issue_card
from members.masking import mask_id_number
from members.choices import IdLookupOutcome
from members.models import IdNumberLookup, Member
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory, _person
from tests.transfers.helpers import register
from transfers import services
from transfers.choices import ClaimStatus
from transfers.models import Inflow, MemberClaim

REFUSAL = str(services.INFLOW_REFUSAL)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def member(tree):
    return MemberFactory(organization=tree.branch_a1)


@pytest.fixture
def approved_outflow(member, secretary_a1, reviewer_a):
    """The member leaves with an introduction letter to an organization outside the system."""
    outflow = register(member, secretary_a1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    return outflow


@pytest.fixture(params=["secretary_b1", "town_b_admin", "town_b_reviewer"])
def attacker(request, tree):
    """Another town: its branch secretary, its department admin, its committee reviewer."""
    if request.param == "secretary_b1":
        return request.getfixturevalue("secretary_b1")
    role = Role.DEPARTMENT_ADMIN if request.param == "town_b_admin" else Role.COMMITTEE_REVIEWER
    return UserFactory(organization=tree.town_b, role=role)


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 200, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _issue_card(member, reviewer):
    return issue_card(member=member, acting_user=reviewer, photo=_photo(), issued_on=date(2026, 3, 1),
                      purpose="work", reason="外出务工", destination="上海市人民路1号",
                      departure_date=date(2026, 3, 1), expected_months=5)


def _inflow(client, tree, id_number, **fields):
    data = {"host_organization": tree.branch_b1.pk, "id_number": id_number, "arrived_on": "2026-11-12",
            "document_kind": "introduction_letter", "document_number": "", "check_code": ""}
    data.update(fields)
    return client.post(reverse("transfers:inflow_register"), data)


def _sees(client, member) -> bool:
    status = client.get(reverse("members:detail", args=[member.pk])).status_code
    assert status in (200, 404)
    return status == 200


def _nothing_linked(member, tree, host=None):
    member.refresh_from_db()
    assert member.host_organization == host
    assert not Inflow.objects.filter(member=member).exists()
    assert not MemberClaim.objects.filter(member=member).exists()


def _page_without_tokens(response, id_number):
    """The page as the attacker sees it, minus the per-response CSRF token and the number they typed."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(id_number, "<ID>")


# --- guessing document numbers ------------------------------------------------------------

def test_guessing_sequential_letter_numbers_without_the_check_code_links_nothing(
        client, settings, tree, member, approved_outflow, attacker):
    """ZM/JS numbers are sequential: four guesses hit the real one, but the check code is missing or wrong."""
    settings.ID_LOOKUPS_PER_HOUR = 100  # the rate limit has its own test; here the code alone must stop it
    real = approved_outflow.introduction_letter
    year = timezone.localdate().year
    client.force_login(attacker)
    for serial in range(1, 5):
        for code in ("", "ABCDEFGH", real.check_code[:-1] + ("A" if real.check_code[-1] != "A" else "B")):
            response = _inflow(client, tree, member.id_number, document_number=f"JS{year}-{serial:05d}",
                               check_code=code, name="冒名", joined_date="2010-07-01", education="high_school",
                               origin_organization_name="某党支部")
            assert response.status_code == 200
            assert response.context["form"].non_field_errors() == [REFUSAL]
    _nothing_linked(member, tree)
    assert not _sees(client, member)


def test_a_letter_addressed_to_another_organization_proves_nothing_even_with_its_code(
        client, tree, member, secretary_a1, reviewer_a, secretary_b1):
    """The letter names branch A2 as receiver; B1 has seen the paper (number and code) and tries to use it."""
    outflow = register(member, secretary_a1, receiving_organization=tree.branch_a2, receiving_organization_name="")
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = outflow.introduction_letter
    client.force_login(secretary_b1)
    response = _inflow(client, tree, member.id_number, document_number=letter.number, check_code=letter.check_code)
    assert response.status_code == 200 and response.context["form"].non_field_errors() == [REFUSAL]
    _nothing_linked(member, tree, host=tree.branch_a2)


def test_a_document_of_another_member_proves_nothing(client, tree, member, approved_outflow, reviewer_a,
                                                     secretary_b1):
    """B1 holds a genuine card (number and code) of someone else and types the victim's ID number with it."""
    card = _issue_card(AwayMemberFactory(organization=tree.branch_a2), reviewer_a)
    client.force_login(secretary_b1)
    response = _inflow(client, tree, member.id_number, document_kind="activity_card", document_number=card.number,
                       check_code=card.check_code)
    assert response.status_code == 200 and response.context["form"].non_field_errors() == [REFUSAL]
    _nothing_linked(member, tree)


# --- the answer does not tell whether the ID number exists ------------------------------------

@pytest.mark.parametrize("fields", [
    dict(document_number="JS2026-00001", check_code="ABCDEFGH"),  # a claim with a guessed code
    dict(document_kind="none"),  # no document and no new-member facts
    dict(document_kind="certificate_letter", document_number="ZM2026-00001"),  # a number but no code
], ids=["claim", "nothing", "number-only"])
def test_a_member_elsewhere_and_no_such_member_get_the_same_answer(client, tree, member, approved_outflow,
                                                                   secretary_b1, fields):
    unknown = _person()["id_number"]
    assert not Member.objects.filter(id_number=unknown).exists()
    client.force_login(secretary_b1)
    elsewhere = _inflow(client, tree, member.id_number, **fields)
    nobody = _inflow(client, tree, unknown, **fields)
    assert elsewhere.status_code == nobody.status_code == 200
    assert elsewhere.context["form"].errors == nobody.context["form"].errors
    assert _page_without_tokens(elsewhere, member.id_number) == _page_without_tokens(nobody, unknown)
    assert member.name not in elsewhere.content.decode()
    _nothing_linked(member, tree)


def test_the_inflow_form_is_the_same_form_whatever_the_id_number(client, tree, member, secretary_b1):
    """The old form dropped 'required' from the name when the ID number was found: a free lookup."""
    client.force_login(secretary_b1)
    unknown = _person()["id_number"]
    elsewhere = _inflow(client, tree, member.id_number, document_kind="none", name="")
    nobody = _inflow(client, tree, unknown, document_kind="none", name="")
    assert set(elsewhere.context["form"].errors) == set(nobody.context["form"].errors) >= {"name", "joined_date"}


# --- rate limit and log -------------------------------------------------------------------------

def test_lookups_are_limited_per_user_and_every_attempt_is_logged(client, settings, tree, member,
                                                                   approved_outflow, secretary_b1):
    settings.ID_LOOKUPS_PER_HOUR = 3
    letter = approved_outflow.introduction_letter
    client.force_login(secretary_b1)
    for guess in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC"):
        assert _inflow(client, tree, member.id_number, document_number=letter.number,
                       check_code=guess).status_code == 200
    # the fourth try has the right code, but the hour's lookups are used up
    response = _inflow(client, tree, member.id_number, document_number=letter.number, check_code=letter.check_code)
    assert response.status_code == 429
    assert "一小时内" in response.content.decode() and "已达 3 次" in response.content.decode()
    _nothing_linked(member, tree)

    attempts = list(IdNumberLookup.objects.order_by("at", "id"))
    assert [a.outcome for a in attempts] == [IdLookupOutcome.REFUSED] * 3 + [IdLookupOutcome.RATE_LIMITED]
    for attempt in attempts:
        assert attempt.user == secretary_b1 and attempt.organization == tree.branch_b1 and attempt.at
        assert attempt.id_number_masked == mask_id_number(member.id_number) != member.id_number
        assert attempt.document_number == letter.number

    # the limit is the user's: a colleague is not blocked, and an hour later the user is not either
    colleague = UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)
    client.force_login(colleague)
    assert _inflow(client, tree, member.id_number, document_number="JS2026-00009",
                   check_code="AAAAAAAA").status_code == 200
    IdNumberLookup.objects.filter(user=secretary_b1).update(at=timezone.now() - timedelta(hours=1, minutes=1))
    client.force_login(secretary_b1)
    response = _inflow(client, tree, member.id_number, document_number=letter.number, check_code=letter.check_code)
    assert response.status_code == 302
    assert MemberClaim.objects.get(member=member).status == ClaimStatus.PENDING


# --- (a) the origin names the receiver in an approved outflow ------------------------------------

def test_an_approved_outflow_naming_the_claimer_lets_it_link(client, tree, member, secretary_a1, reviewer_a,
                                                             secretary_b1):
    outflow = register(member, secretary_a1, receiving_organization=tree.branch_b1, receiving_organization_name="")
    client.force_login(secretary_b1)
    # submitted, not approved: the receiver neither sees nor links the member
    response = _inflow(client, tree, member.id_number, document_kind="none")
    assert response.status_code == 200 and not Inflow.objects.exists()
    assert not _sees(client, member)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    assert _sees(client, member)
    response = _inflow(client, tree, member.id_number, document_kind="none")
    assert response.status_code == 302
    inflow = Inflow.objects.get(member=member)
    assert inflow.host_organization == tree.branch_b1 and inflow.document_verified and inflow.from_system
    assert IdNumberLookup.objects.filter(user=secretary_b1).order_by("at", "id").last().outcome \
        == IdLookupOutcome.LINKED


# --- (b) a claim with number and check code, confirmed by the origin --------------------------------

@pytest.mark.parametrize("document", ["letter", "card"])
def test_a_claim_with_the_check_code_links_only_when_the_origin_confirms(client, request, tree, member,
                                                                        secretary_a1, reviewer_a, secretary_b1,
                                                                        document):
    if document == "letter":  # the card needs an outflow of its own (发放活动证), so the letter's is made here only
        letter = request.getfixturevalue("approved_outflow").introduction_letter
        kind, number, code = "introduction_letter", letter.number, letter.check_code
    else:
        card = _issue_card(member, reviewer_a)
        kind, number, code = "activity_card", card.number, card.check_code
    client.force_login(secretary_b1)
    response = _inflow(client, tree, member.id_number, document_kind=kind, document_number=number,
                       check_code=f"{code[:4]}-{code[4:].lower()}")  # as typed from paper
    assert response.status_code == 302 and response.url == reverse("transfers:claim_list")
    claim = MemberClaim.objects.get(member=member)
    assert claim.status == ClaimStatus.PENDING and claim.host_organization == tree.branch_b1
    # the claimer follows its claim without seeing the record, and cannot confirm it itself
    assert not _sees(client, member)
    claims_page = client.get(reverse("transfers:claim_list")).content.decode()
    assert mask_id_number(member.id_number) in claims_page and member.name not in claims_page
    assert client.post(reverse("transfers:claim_confirm", args=[claim.pk])).status_code == 404
    client.force_login(UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER))
    assert client.post(reverse("transfers:claim_confirm", args=[claim.pk])).status_code == 404
    client.force_login(UserFactory(organization=tree.county, role=Role.ROSTER_STAFF))
    assert client.post(reverse("transfers:claim_confirm", args=[claim.pk])).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING and not Inflow.objects.exists()

    # the origin's branch secretary sees it on its page and confirms
    client.force_login(secretary_a1)
    page = client.get(reverse("transfers:claim_list"))
    assert [row[0] for row in page.context["to_decide"]] == [claim]
    assert client.post(reverse("transfers:claim_confirm", args=[claim.pk])).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.decided_by == secretary_a1
    assert claim.inflow.host_organization == tree.branch_b1 and claim.inflow.created_by == secretary_b1
    client.force_login(secretary_b1)
    assert _sees(client, member)


def test_a_claim_the_origin_rejects_links_nothing(client, tree, member, approved_outflow, reviewer_a, secretary_b1):
    letter = approved_outflow.introduction_letter
    client.force_login(secretary_b1)
    assert _inflow(client, tree, member.id_number, document_number=letter.number,
                   check_code=letter.check_code).status_code == 302
    claim = MemberClaim.objects.get(member=member)
    client.force_login(reviewer_a)  # the origin's committee
    assert client.post(reverse("transfers:claim_reject", args=[claim.pk]), {"reason": ""}).status_code == 200
    assert client.post(reverse("transfers:claim_reject", args=[claim.pk]),
                       {"reason": "本人未到该单位"}).status_code == 302
    assert client.post(reverse("transfers:claim_confirm", args=[claim.pk])).status_code == 200
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.reason == "本人未到该单位"
    member.refresh_from_db()
    assert member.host_organization is None and not Inflow.objects.exists()
    client.force_login(secretary_b1)
    assert not _sees(client, member)


# --- (c) the receiving organization sees the member only after approval ------------------------------

def test_the_receiver_sees_a_transferred_member_only_after_the_committee_approves(
        client, tree, member, secretary_a1, reviewer_a, secretary_b1):
    outflow = register(member, secretary_a1, receiving_organization=tree.branch_b1, receiving_organization_name="")
    letter = outflow.introduction_letter
    members_list = reverse("members:list")
    letter_url = reverse("transfers:letter_detail", args=[letter.pk])
    client.force_login(secretary_b1)

    def sees_everywhere() -> bool:
        listed = member in client.get(members_list).context["object_list"]
        letter_status = client.get(letter_url).status_code
        assert _sees(client, member) == listed == (letter_status == 200)
        return listed

    assert not sees_everywhere()  # submitted
    services.outflow_return_for_revision(outflow=outflow, acting_user=reviewer_a, reason="请补充谈话内容")
    assert not sees_everywhere()  # returned
    services.outflow_resubmit(outflow=outflow, acting_user=secretary_a1, talk_notes="已补充")
    assert not sees_everywhere()  # submitted again
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    assert sees_everywhere()


def test_the_check_code_is_printed_for_the_issuer_and_never_shown_to_the_receiver(
        client, tree, member, secretary_a1, reviewer_a, secretary_b1):
    outflow = register(member, secretary_a1, receiving_organization=tree.branch_b1, receiving_organization_name="")
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = outflow.introduction_letter
    letter_url = reverse("transfers:letter_detail", args=[letter.pk])
    client.force_login(secretary_a1)
    assert letter.check_code in client.get(letter_url).content.decode()
    client.force_login(secretary_b1)
    page = client.get(letter_url)
    assert page.status_code == 200 and letter.check_code not in page.content.decode()
    assert letter.check_code not in client.get(reverse("transfers:inflow_list")).content.decode()

    hosted = AwayMemberFactory(organization=tree.branch_a2, host_organization=tree.branch_b1)
    card = _issue_card(hosted, reviewer_a)
    for url in (reverse("activity_cards:detail", args=[card.pk]), reverse("activity_cards:print", args=[card.pk])):
        client.force_login(reviewer_a)
        assert card.check_code in client.get(url).content.decode()
        client.force_login(secretary_b1)
        page = client.get(url)
        assert page.status_code == 200 and card.check_code not in page.content.decode()
