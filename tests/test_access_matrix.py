"""Every URL from the attacker's side: anonymous, wrong role, another town's objects, bad input.

One world is built through the real services: objects of town A (branch A1); the attacker is town B's
secretary or reviewer.  An object of another subtree is a 404 for GET and POST and nothing is written;
bad input never gives a 500.
"""
from datetime import date
import uuid

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from assistance.models import HelpAction, HelpRequest
from assistance.services import open_help_request
from activity_cards.models import ActivityCard
from tests.activity_cards.conftest import issue_card
from jobs.choices import InactivityCondition
from jobs.models import InactivityFlag, LostContactCase
from members.models import Member
from notifications.models import Notification
from organizations.choices import OrganizationKind
from organizations.models import Organization
from reports.models import QuarterlyReport
from reports.periods import Quarter
from reports.services import report_start
from tests.activity_cards.conftest import ISSUE_FIELDS, png_upload
from tests.factories import AwayMemberFactory, OrganizationFactory, UserFactory
from tests.transfers.helpers import register
from transfers.choices import Purpose
from transfers.models import CertificateLetter, IntroductionLetter, Outflow
from transfers.services import outflow_approve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(tree, secretary_a1, secretary_b1, reviewer_a, county_admin, staff_user):
    reviewer_b = UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)
    member = AwayMemberFactory(organization=tree.branch_a1, dues_paid_through=date(2026, 2, 1))
    other = AwayMemberFactory(organization=tree.branch_a1)
    b_member = AwayMemberFactory(organization=tree.branch_b1)
    outflow = register(other, secretary_a1, receiving_organization=tree.branch_a2)
    outflow_approve(outflow=outflow, acting_user=reviewer_a)
    short = register(AwayMemberFactory(organization=tree.branch_a1), secretary_a1, expected_months=2,
                     purpose=Purpose.MEETING)
    outflow_approve(outflow=short, acting_user=reviewer_a)
    card = issue_card(member=member, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)
    report = report_start(organization=tree.branch_a1, quarter=Quarter(2026, 3), acting_user=secretary_a1)
    flag = InactivityFlag.objects.create(member=member, condition=InactivityCondition.DUES,
                                         flagged_on=date(2026, 11, 1), last_record_on=date(2026, 3, 1))
    case = LostContactCase.objects.create(member=member, opened_on=date(2026, 11, 1))
    notification = Notification.objects.create(recipient=secretary_a1, kind="test", subject_key="x",
                                               period="2026-11", title="测试通知")
    letter = IntroductionLetter.objects.filter(outflow__member__organization=tree.branch_a1).first()
    certificate = CertificateLetter.objects.filter(outflow__member__organization=tree.branch_a1).first()
    help_request = open_help_request(member=member, kind="wages_owed", text="欠薪", source="contact", by=secretary_a1)
    temporary_branch = OrganizationFactory(parent=tree.town_a, kind=OrganizationKind.TEMPORARY_BRANCH)
    return type("World", (), dict(
        tree=tree, member=member, b_member=b_member, outflow=outflow, card=card, report=report, flag=flag,
        case=case, notification=notification, letter=letter, certificate=certificate, help=help_request,
        temporary_branch=temporary_branch,
        users=dict(secretary_a1=secretary_a1, secretary_b1=secretary_b1, reviewer_a=reviewer_a,
                   reviewer_b=reviewer_b, county_admin=county_admin, staff_user=staff_user)))


# name, object, right user (GET 200, or POST for action-only URLs), a user of the wrong role, the outsider
URLS = [
    ("dashboard", None, "secretary_a1", None, None),
    ("members:list", None, "secretary_a1", None, None),
    ("members:jump", None, None, None, None),  # a redirect; tests/members/test_search.py
    ("members:create", None, "secretary_a1", "reviewer_a", None),
    ("members:detail", "member", "secretary_a1", None, "secretary_b1"),
    ("members:update", "member", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("members:delete", "member", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("members:dues_arrears", None, "secretary_a1", None, None),
    ("members:export", None, "secretary_a1", "reviewer_a", None),
    ("members:export_list", None, "secretary_a1", "reviewer_a", None),
    ("members:import", None, "secretary_a1", "reviewer_a", None),
    ("members:import_template", None, "secretary_a1", "reviewer_a", None),
    ("members:access_log", None, "county_admin", "secretary_a1", None),
    ("members:export_progress", "token", None, "reviewer_a", "secretary_b1"),
    ("members:export_status", "token", None, "reviewer_a", "secretary_b1"),
    ("members:export_download", "token", None, "reviewer_a", "secretary_b1"),
    ("members:import_confirm", "token", None, "reviewer_a", "secretary_b1"),
    ("members:import_mapping", "token", None, "reviewer_a", "secretary_b1"),
    ("organizations:list", None, "secretary_a1", None, None),
    ("organizations:detail", "branch", "secretary_a1", None, "secretary_b1"),
    ("transfers:outflow_list", None, "secretary_a1", None, None),
    ("transfers:outflow_detail", "outflow", "secretary_a1", None, "secretary_b1"),
    ("transfers:outflow_resubmit", "outflow", None, "reviewer_a", "secretary_b1"),
    ("transfers:outflow_approve", "outflow", None, "secretary_a1", "reviewer_b"),
    ("transfers:outflow_send_back", "outflow", None, "secretary_a1", "reviewer_b"),
    ("transfers:return_register", "outflow", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("transfers:temporary_branch_create", "outflow", "reviewer_a", "secretary_a1", "reviewer_b"),
    ("transfers:temporary_branch_leader", "temporary_branch", "reviewer_a", "secretary_a1", "reviewer_b"),
    ("transfers:temporary_branch_dissolve", "temporary_branch", "reviewer_a", "secretary_a1", "reviewer_b"),
    ("transfers:outflow_register", "member_pk", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("transfers:recommend", "member_pk", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("transfers:contact_add", "member_pk", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("transfers:location_add", "member_pk", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("transfers:thought_report_add", "member_pk", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("transfers:letter_detail", "letter", "secretary_a1", None, "secretary_b1"),
    ("transfers:letter_confirm", "letter", None, "staff_user", "secretary_b1"),
    ("transfers:letter_receipt_returned", "letter", None, "reviewer_a", "secretary_b1"),
    ("transfers:letter_arrival", "letter", None, "reviewer_a", "secretary_b1"),
    ("transfers:letter_reissue", "letter", None, "secretary_a1", "reviewer_b"),
    ("transfers:certificate_detail", "certificate", "secretary_a1", None, "secretary_b1"),
    ("transfers:inflow_list", None, "secretary_a1", None, None),
    ("transfers:inflow_register", None, "secretary_a1", "staff_user", None),
    ("activity_cards:list", None, "secretary_a1", None, None),
    ("activity_cards:due", None, "secretary_a1", None, None),
    ("activity_cards:issue", "card_outflow", "reviewer_a", "secretary_a1", "reviewer_b"),
    ("activity_cards:detail", "card", "secretary_a1", None, "secretary_b1"),
    ("activity_cards:print", "card", "secretary_a1", None, "secretary_b1"),
    ("activity_cards:photo", "card", "secretary_a1", None, "secretary_b1"),
    ("activity_cards:verify", "card", "secretary_a1", "staff_user", "secretary_b1"),
    ("activity_cards:replace", "card", "reviewer_a", "secretary_a1", "reviewer_b"),
    ("activity_cards:take_back", "card", "secretary_a1", "staff_user", "secretary_b1"),
    ("activity_cards:entry", "card_entry", "secretary_a1", "staff_user", "secretary_b1"),
    ("assistance:list", None, "secretary_a1", None, None),
    ("assistance:create", "member_pk", "secretary_a1", "staff_user", "secretary_b1"),
    ("assistance:detail", "help", "secretary_a1", None, "secretary_b1"),
    ("assistance:action_add", "help", None, "staff_user", "secretary_b1"),
    ("assistance:resolve", "help", None, "staff_user", "secretary_b1"),
    ("reports:list", None, "secretary_a1", None, None),
    ("reports:start", None, None, "reviewer_a", None),
    ("reports:review", None, "reviewer_a", "secretary_a1", None),
    ("reports:review_export", None, "reviewer_a", "secretary_a1", None),
    ("reports:national_table", None, "secretary_a1", None, None),
    ("reports:detail", "report", "secretary_a1", None, "secretary_b1"),
    ("reports:edit", "report", "secretary_a1", "reviewer_a", "secretary_b1"),
    ("reports:review_action", "report", None, "secretary_a1", "reviewer_b"),
    ("reports:export", "report", "secretary_a1", None, "secretary_b1"),
    ("notifications:list", None, "secretary_a1", None, None),
    ("notifications:read", "notification", None, None, "secretary_b1"),
    ("notifications:read_all", None, None, None, None),
    ("jobs:flag_list", None, "secretary_a1", "staff_user", None),
    ("jobs:flag_detail", "flag", "secretary_a1", "staff_user", "secretary_b1"),
    ("jobs:case_list", None, "secretary_a1", "staff_user", None),
    ("jobs:case_detail", "case", "secretary_a1", "staff_user", "secretary_b1"),
    ("portal:inbox", None, "secretary_a1", "staff_user", None),
    ("portal:notice_list", None, "secretary_a1", "staff_user", None),
    ("portal:notice_create", None, "secretary_a1", "staff_user", None),
    ("portal:link_issue", "member_pk", None, "reviewer_a", "secretary_b1"),
]
LIST_PAGES = [name for name, obj, right, _w, _o in URLS if obj is None and right]
BAD_QUERIES = ["page=abc", "page=99999999999999999999", "page=-1", "sort=zzz", "sort=-nope", "status=zz",
               "state=zz", "quarter=garbage", "quarter=99999999999999999999-1", "quarter=2026-9", "org=999999999",
               "org=abc", "organization=abc", "organization=99999999999999999999", "branch=abc", "q=%00",
               "q=" + "长" * 300, "kind=x", "condition=x", "mobility_status=x", "incomplete=x", "unread=x",
               "filed=1", "date=2026-02-30", "status=%00", "sort=%00", "quarter=%00", "org=%00", "branch=%00",
               "organization=%00", "mobility_status=%00", "condition=%00", "page=%00"]
BAD_POST = {"organization": "abc", "liaison": "-1", "host_organization": "99999999999999999999", "leader": "x",
            "members": ["x"], "quarter": "2026-Q9", "received_on": "2026-02-30", "talk_date": "2026-02-30",
            "expected_months": "999999999999999999999", "visits_made": "-5", "version": "abc", "action": "zz",
            "result": "zz", "status": "zz", "decision": "zz", "arrived_on": "2026-13-01", "id_number": "x" * 500}
WRITTEN = (Member, Outflow, IntroductionLetter, ActivityCard, QuarterlyReport, InactivityFlag, LostContactCase,
           HelpRequest, HelpAction, User)


def url_of(world, name, obj):
    kwargs = {
        None: {}, "member": {"pk": world.member.pk}, "member_pk": {"member_pk": world.member.pk},
        "card_outflow": {"outflow_pk": world.card.outflow_id},
        "branch": {"pk": world.tree.branch_a1.pk}, "outflow": {"pk": world.outflow.pk},
        "letter": {"pk": world.letter.pk}, "certificate": {"pk": world.certificate.pk}, "card": {"pk": world.card.pk},
        "card_entry": {"pk": world.card.pk, "kind": "life"}, "report": {"pk": world.report.pk},
        "notification": {"pk": world.notification.pk}, "flag": {"pk": world.flag.pk}, "case": {"pk": world.case.pk},
        "help": {"pk": world.help.pk}, "temporary_branch": {"pk": world.temporary_branch.pk},
        "token": {"token": uuid.uuid4()},
    }[obj]
    return reverse(name, kwargs=kwargs)


def snapshot():
    """What a write would change: row counts and the versions/statuses of the world's objects."""
    return ([model.objects.count() for model in WRITTEN]
            + list(Member.objects.order_by("pk").values_list("version", "organization_id", "mobility_status"))
            + list(Outflow.objects.order_by("pk").values_list("status", flat=True))
            + list(ActivityCard.objects.order_by("pk").values_list("status", flat=True))
            + list(QuarterlyReport.objects.order_by("pk").values_list("status", "work_done"))
            + list(Notification.objects.order_by("pk").values_list("read_at", flat=True))
            + list(HelpRequest.objects.order_by("pk").values_list("status", flat=True))
            + list(Organization.objects.order_by("pk").values_list("closed_on", flat=True)))


@pytest.mark.parametrize("name, obj", [(u[0], u[1]) for u in URLS])
def test_anonymous_is_sent_to_login(client, world, name, obj):
    url = url_of(world, name, obj)
    before = snapshot()
    for response in (client.get(url), client.post(url, BAD_POST)):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert snapshot() == before


@pytest.mark.parametrize("name, obj, wrong", [(u[0], u[1], u[3]) for u in URLS if u[3]])
def test_wrong_role_is_forbidden(client, world, name, obj, wrong):
    url = url_of(world, name, obj)
    client.force_login(world.users[wrong])
    before = snapshot()
    assert client.get(url).status_code == 403
    assert client.post(url, BAD_POST).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name, obj, outsider", [(u[0], u[1], u[4]) for u in URLS if u[4]])
def test_other_subtree_is_404_and_nothing_written(client, world, name, obj, outsider):
    url = url_of(world, name, obj)
    client.force_login(world.users[outsider])
    before = snapshot()
    # 405 where the URL takes only GET or only POST: the object is never looked up then.
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, BAD_POST).status_code in (404, 405)
    assert 404 in (client.get(url).status_code, client.post(url, BAD_POST).status_code)
    assert snapshot() == before


@pytest.mark.parametrize("name, obj, right", [(u[0], u[1], u[2]) for u in URLS if u[2]])
def test_right_user_gets_the_page(client, world, name, obj, right):
    client.force_login(world.users[right])
    assert client.get(url_of(world, name, obj)).status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("user", ["secretary_a1", "reviewer_a", "county_admin"])
def test_garbage_querystring_is_never_a_500(client, world, name, user):
    client.force_login(world.users[user])
    for query in BAD_QUERIES:  # one at a time: a 404 for ?page=abc must not hide what another parameter does
        response = client.get(f"{reverse(name)}?{query}")
        assert response.status_code in (200, 302, 403, 404), query


@pytest.mark.parametrize("name, obj, user", [(u[0], u[1], u[2] or u[3]) for u in URLS if u[2] or u[3]])
def test_garbage_post_is_never_a_500_nor_a_write(client, world, name, obj, user):
    """Wrong types, impossible dates, huge and negative numbers, strings for ids: a message, not a crash."""
    client.force_login(world.users[user])
    before = snapshot()
    response = client.post(url_of(world, name, obj), BAD_POST)
    assert response.status_code in (200, 302, 400, 403, 404, 405)
    if response.status_code != 302:
        assert snapshot() == before


def test_deleting_a_member_with_a_card_is_refused_with_a_message(client, world):
    """Bug: the card's PROTECT foreign key made the delete a 500."""
    client.force_login(world.users["secretary_a1"])
    response = client.post(reverse("members:delete", kwargs={"pk": world.member.pk}))
    assert response.status_code == 200
    assert "不能删除" in response.content.decode()
    assert Member.objects.filter(pk=world.member.pk).exists()


def test_export_list_renders(client, world):
    """Bug: a {% url %} inside {% blocktranslate %} made the page a TemplateSyntaxError."""
    client.force_login(world.users["staff_user"])
    assert client.get(reverse("members:export_list")).status_code == 200


@pytest.mark.parametrize("id_number", ["abc", "1101051990", "11010519900230123X"])
def test_inflow_with_a_malformed_id_number_is_a_message(client, world, id_number):
    """Bug: a short ID number reached id_is_male() and made the page a 500 (IndexError)."""
    client.force_login(world.users["secretary_a1"])
    before = snapshot()
    response = client.post(reverse("transfers:inflow_register"), {
        "host_organization": world.tree.branch_a1.pk, "id_number": id_number, "name": "张三",
        "joined_date": "2010-01-01", "education": "high_school", "origin_organization_name": "外地某党支部",
        "arrived_on": "2026-11-01", "document_kind": "introduction_letter"})
    assert response.status_code == 200
    assert "身份证号码" in response.context["form"].errors["id_number"][0]
    assert snapshot() == before


def test_card_search_with_a_nul_character_is_not_a_500(client, world):
    """Bug: ?q=%00 reached PostgreSQL, which refuses NUL in a string literal (ValueError, a 500)."""
    client.force_login(world.users["secretary_a1"])
    response = client.get(reverse("activity_cards:list") + f"?q=%00{world.card.number}")
    assert response.status_code == 200
    assert world.card in response.context["object_list"]


@pytest.mark.parametrize("name", ["members:update", "members:delete"])
def test_host_sees_a_hosted_member_but_cannot_open_its_edit_or_delete_page(client, world, name):
    """The host shares the record (detail 200) but only the origin edits it: 404, not a form that cannot save."""
    Member.objects.filter(pk=world.member.pk).update(host_organization=world.tree.branch_b1)
    client.force_login(world.users["secretary_b1"])
    assert client.get(reverse("members:detail", args=[world.member.pk])).status_code == 200
    before = snapshot()
    assert client.get(reverse(name, args=[world.member.pk])).status_code == 404
    assert client.post(reverse(name, args=[world.member.pk]), {"name": "改名"}).status_code == 404
    assert snapshot() == before


def _foreign_id_posts(world):
    """(user, url, data, field): a well-formed form whose one id belongs to town B."""
    from tests.factories import _person
    from tests.members.test_views import _post_data
    from tests.transfers.test_views import _form_data

    t, w = world.tree, world
    person = _person()
    new = dict(_post_data(w.member), name=person["name"], gender=person["gender"], id_number=person["id_number"],
               birth_date=person["birth_date"].isoformat(), version=0)
    inflow = {"id_number": person["id_number"], "name": "张三", "joined_date": "2010-07-01", "education": "high_school",
              "origin_organization_name": "外地某党支部", "arrived_on": "2026-11-01", "document_kind": "introduction_letter"}
    home = AwayMemberFactory(organization=t.branch_a1, mobility_status="at_home")
    return [
        ("secretary_a1", reverse("members:create"), dict(new, organization=t.branch_b1.pk), "organization"),
        ("secretary_a1", reverse("members:create"), dict(new, liaison=w.b_member.pk), "liaison"),
        ("secretary_a1", reverse("members:update", args=[w.member.pk]),
         _post_data(w.member, organization=t.branch_b1.pk), "organization"),
        ("secretary_a1", reverse("members:update", args=[w.member.pk]),
         _post_data(w.member, liaison=w.b_member.pk), "liaison"),
        ("secretary_a1", reverse("transfers:outflow_register", args=[home.pk]),
         _form_data(liaison=w.b_member.pk), "liaison"),
        ("secretary_a1", reverse("transfers:inflow_register"), dict(inflow, host_organization=t.branch_b1.pk),
         "host_organization"),
        ("reviewer_a", reverse("transfers:temporary_branch_create", args=[w.outflow.pk]),
         {"name": "临时党支部", "leader": w.b_member.pk, "members": [w.b_member.pk]}, "leader"),
    ]


def test_ids_of_another_town_in_post_data_are_refused_next_to_the_field(client, world):
    for user, url, data, field in _foreign_id_posts(world):
        client.force_login(world.users[user])
        before = snapshot()
        response = client.post(url, data)
        assert response.status_code == 200, (url, field)
        assert response.context["form"].errors[field], (url, field)
        assert snapshot() == before, (url, field)
