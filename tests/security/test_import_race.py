"""Attack: the same dry-run import confirmed three times at once (double click, two tabs, a script)."""
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from members.models import Member, RosterImport
from tests.members.test_roster_import import NEW_ID, _upload, _valid_row, _xlsx
from tests.factories import AwayMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _post_together(clients, url):
    barrier = threading.Barrier(len(clients))
    responses = []

    def post(client):
        barrier.wait()
        try:
            responses.append(client.post(url))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_three_concurrent_confirms_write_once_and_the_others_get_409(postgres, tree, secretary_a1):
    member = AwayMemberFactory(organization=tree.branch_a1, name="张伟")
    rows = [_valid_row(tree.branch_a1),
            _valid_row(tree.branch_a1, 姓名="张伟", 身份证号码=member.id_number, 出生日期=member.birth_date,
                       性别=member.get_gender_display(), 入党时间=member.joined_date, 从事职业="厨师",
                       手机号码=member.phone)]
    uploader = Client()
    uploader.force_login(secretary_a1)
    assert _upload(uploader, _xlsx(rows)).status_code == 200
    stash = RosterImport.objects.get()
    clients = []
    for _ in range(3):
        client = Client()
        client.cookies = uploader.cookies  # the same signed-in user, one connection each
        clients.append(client)

    responses = _post_together(clients, reverse("members:import_confirm", args=[stash.token]))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 409, 409]
    for response in responses:
        if response.status_code == 409:
            assert "已经确认导入过" in response.content.decode()
    assert Member.objects.filter(id_number=NEW_ID).count() == 1
    created = Member.objects.get(id_number=NEW_ID)
    assert created.history.count() == 1
    member.refresh_from_db()
    assert member.occupation == "厨师" and member.version == 2 and member.history.count() == 2
    stash.refresh_from_db()
    assert stash.status == RosterImport.Status.APPLIED


def test_a_confirm_after_the_import_is_a_409_not_a_second_write(tree, secretary_a1, client):
    client.force_login(secretary_a1)
    _upload(client, _xlsx([_valid_row(tree.branch_a1)]))
    url = reverse("members:import_confirm", args=[RosterImport.objects.get().token])
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 409 and "不会重复写入" in response.content.decode()
    assert Member.objects.count() == 1


def test_another_users_confirm_is_still_a_404(tree, secretary_a1, secretary_b1, client):
    client.force_login(secretary_a1)
    _upload(client, _xlsx([_valid_row(tree.branch_a1)]))
    client.force_login(secretary_b1)
    assert client.post(reverse("members:import_confirm", args=[RosterImport.objects.get().token])).status_code == 404
    assert not Member.objects.exists()
