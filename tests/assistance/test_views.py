import pytest
from django.urls import reverse
from django.utils import timezone

from assistance.choices import DifficultyKind, HelpSource, HelpStatus
from assistance.models import HelpRequest
from assistance.services import open_help_request
from tests.factories import AwayMemberFactory


@pytest.fixture
def help_a1(member_a1, secretary_a1):
    return open_help_request(member=member_a1, kind=DifficultyKind.WAGES_OWED, text="拖欠工资",
                             source=HelpSource.CONTACT, by=secretary_a1)


def _urls(help_request):
    return [reverse("assistance:list"), reverse("assistance:detail", args=[help_request.pk]),
            reverse("assistance:create", args=[help_request.member_id])]


def test_anonymous_is_sent_to_login(client, help_a1):
    for url in _urls(help_a1):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_another_town_gets_404(client, help_a1, secretary_b1):
    client.force_login(secretary_b1)
    assert help_a1.member.name not in client.get(reverse("assistance:list")).content.decode()
    for url in _urls(help_a1)[1:]:
        assert client.get(url).status_code == 404
    for name in ("assistance:action_add", "assistance:resolve"):
        assert client.post(reverse(name, args=[help_a1.pk]), {"outcome": "x"}).status_code == 404


def test_a_role_that_only_reads_gets_403_on_writes(client, help_a1, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("assistance:detail", args=[help_a1.pk])).status_code == 200
    assert client.get(reverse("assistance:create", args=[help_a1.member_id])).status_code == 403
    assert client.post(reverse("assistance:resolve", args=[help_a1.pk]), {}).status_code == 403


def test_secretary_opens_acts_and_resolves(client, member_a1, secretary_a1):
    client.force_login(secretary_a1)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("assistance:create", args=[member_a1.pk]), {
        "kind": DifficultyKind.ILLNESS, "text": "父亲住院", "source": HelpSource.MEMBER, "opened_on": today})
    request = HelpRequest.objects.get(member=member_a1)
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    response = client.post(reverse("assistance:action_add", args=[request.pk]), {
        "kind": "visit", "done_on": today, "done_by": "", "what_done": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请写明做了什么。" in page
    response = client.post(reverse("assistance:action_add", args=[request.pk]), {
        "kind": "errand", "done_on": today, "done_by": "支委 李某", "what_done": "代办医保异地报销", "solved": "on"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == HelpStatus.SOLVED
    page = client.get(request.get_absolute_url()).content.decode()
    assert "代办医保异地报销" in page and "resolve-form" not in page
    assert "困难帮扶" in client.get(member_a1.get_absolute_url()).content.decode()


def test_list_query_count_is_constant(client, tree, secretary_a1, django_assert_max_num_queries):
    client.force_login(secretary_a1)
    members = AwayMemberFactory.create_batch(3, organization=tree.branch_a1)
    open_help_request(member=members[0], kind="job", text="x", source="contact", by=secretary_a1)
    with django_assert_max_num_queries(12) as ctx:
        client.get(reverse("assistance:list"))
    few = len(ctx.captured_queries)
    for member in members:
        open_help_request(member=member, kind="legal", text="y", source="contact", by=secretary_a1)
    with django_assert_max_num_queries(few):
        page = client.get(reverse("assistance:list")).content.decode()
    assert page.count("data-request=") == 4
