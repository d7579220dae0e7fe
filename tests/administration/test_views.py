"""The county administrator's pages from the attacker's side, and what they write."""
import re

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from members.models import Member
from organizations.models import Organization
from tests.administration.test_tree_io import NEW_TOWN, xlsx
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, county_admin, secretary_a1):
    town_b_admin = UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)
    MemberFactory(organization=tree.branch_a1)
    return type("World", (), dict(tree=tree, admin=county_admin, secretary=secretary_a1, outsider=town_b_admin))


LIST_PAGES = ["tree", "organization_add", "tree_import", "tree_export", "accounts", "account_add", "account_import",
              "account_export"]
ORG_PAGES = ["organization_edit", "organization_move", "organization_merge", "organization_close"]
ACCOUNT_PAGES = ["account_edit", "account_active", "account_reset"]
CONFIRMS = ["tree_import_confirm", "account_import_confirm"]


def url(name, pk=None):
    return reverse(f"administration:{name}", args=[pk] if pk else [])


def state():
    return (list(Organization.objects.order_by("pk").values_list("name", "path", "closed_on")),
            list(User.objects.order_by("pk").values_list("password", "is_active", "organization_id", "role")),
            list(Member.objects.order_by("pk").values_list("organization_id", "version")))


def every_url(world):
    return ([url(n) for n in LIST_PAGES + CONFIRMS] + [url(n, world.tree.branch_a1.pk) for n in ORG_PAGES]
            + [url(n, world.secretary.pk) for n in ACCOUNT_PAGES])


def test_anonymous_goes_to_login(client, world):
    for address in every_url(world):
        for response in (client.get(address), client.post(address)):
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), address


def test_a_branch_secretary_and_a_reviewer_are_forbidden(client, world, reviewer_a):
    before = state()
    for user in (world.secretary, reviewer_a):
        client.force_login(user)
        for address in every_url(world):
            assert client.get(address).status_code in (403, 405), address
            assert client.post(address, {"name": "x", "code": "x", "target": world.tree.branch_a2.pk}).status_code \
                == 403, address
    assert state() == before


def test_another_towns_admin_and_guessed_ids_get_404(client, world):
    before = state()
    client.force_login(world.outsider)
    a1, secretary = world.tree.branch_a1.pk, world.secretary.pk
    for address in [url(n, a1) for n in ORG_PAGES] + [url(n, secretary) for n in ACCOUNT_PAGES]:
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"new_parent": world.tree.town_b.pk, "target": world.tree.branch_b1.pk,
                                     "full_name": "x", "organization": world.tree.branch_b1.pk,
                                     "role": Role.BRANCH_SECRETARY}).status_code == 404, address
    client.force_login(world.admin)
    for address in [url(n, 987654321) for n in ORG_PAGES + ACCOUNT_PAGES]:
        assert client.get(address).status_code == 404
    assert state() == before


def test_the_outsider_cannot_reach_town_a_through_form_choices(client, world):
    client.force_login(world.outsider)
    before = state()
    response = client.post(url("organization_add"), {"parent": world.tree.town_a.pk, "kind": "branch",
                                                     "name": "越权支部", "code": "ZZ9"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = client.post(url("account_add"), {"username": "steal", "full_name": "x", "organization":
                                                world.tree.branch_a1.pk, "role": Role.BRANCH_SECRETARY})
    assert response.status_code == 200
    page = client.get(url("tree")).content.decode()
    assert "甲一村党支部" not in page and "乙一村党支部" in page
    assert world.secretary.username not in client.get(url("accounts")).content.decode()
    assert state() == before


def test_pages_render_for_the_admin(client, world):
    client.force_login(world.admin)
    for address in [url(n) for n in LIST_PAGES] + [url(n, world.tree.branch_a1.pk) for n in ORG_PAGES] + [
            url(n, world.secretary.pk) for n in ACCOUNT_PAGES]:
        assert client.get(address).status_code == 200, address


def test_tree_page_query_count_does_not_grow_with_the_tree(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        client.get(url("tree"))
    with django_assert_max_num_queries(12):
        client.get(url("accounts"))


def test_admin_adds_renames_moves_merges_and_closes(client, world):
    client.force_login(world.admin)
    tree = world.tree
    response = client.post(url("organization_add"), {"parent": tree.town_a.pk, "kind": "branch", "name": "甲三村党支部",
                                                     "code": "A3"})
    assert response.status_code == 302
    a3 = Organization.objects.get(code="A3")
    client.post(url("organization_edit", a3.pk), {"name": "甲三村党支部（新）", "code": "A3"})
    assert Organization.objects.get(pk=a3.pk).name == "甲三村党支部（新）"
    assert client.post(url("organization_move", a3.pk), {"new_parent": tree.town_b.pk}).status_code == 302
    assert Organization.objects.get(pk=a3.pk).is_within(Organization.objects.get(pk=tree.town_b.pk))
    response = client.post(url("organization_merge", tree.branch_a1.pk), {"target": tree.branch_a2.pk})
    assert response.status_code == 302
    assert not Member.objects.filter(organization=tree.branch_a1).exists()
    response = client.post(url("organization_close", a3.pk))
    assert response.status_code == 302
    page = client.get(url("tree")).content.decode()
    main, closed = page.split('id="tree"')[1].split('id="closed"')
    assert "甲一村党支部" not in main and "甲一村党支部" in closed and "甲三村党支部（新）" in closed
    assert "甲一村党支部" not in client.get(reverse("organizations:list")).content.decode().split("<main")[-1]
    detail = client.get(reverse("organizations:detail", args=[tree.branch_a1.pk]))  # its history stays reachable
    assert detail.status_code == 200 and "撤销，这里保留它的历史记录" in detail.content.decode()


def test_closing_a_branch_with_members_is_refused_with_a_message(client, world):
    client.force_login(world.admin)
    response = client.post(url("organization_close", world.tree.branch_a1.pk))
    assert response.status_code == 200 and "在册党员" in response.content.decode()


def _password_on(page: str) -> str:
    return re.search(r'class="mono slip-password">([^<]+)<', page).group(1)


def test_a_new_accounts_slip_is_shown_once_and_never_stored(client, world):
    client.force_login(world.admin)
    response = client.post(url("account_add"), {"username": "zhangsan", "full_name": "张三", "phone": "13812345678",
                                                "organization": world.tree.branch_a2.pk,
                                                "role": Role.BRANCH_SECRETARY})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    password = _password_on(page)
    account = User.objects.get(username="zhangsan")
    assert account.check_password(password) and account.must_change_password
    assert password not in account.password
    assert not any(password in str(v) for v in account.history.values_list(flat=False))
    # nothing reopens it: the form again, the accounts page, the reset page
    for address in (url("account_add"), url("accounts"), url("account_reset", account.pk)):
        assert password not in client.get(address).content.decode()


def test_reset_password_gives_a_new_slip_and_forces_a_change(client, world):
    client.force_login(world.admin)
    response = client.post(url("account_reset", world.secretary.pk))
    password = _password_on(response.content.decode())
    world.secretary.refresh_from_db()
    assert world.secretary.history.first().history_change_reason == "重置密码"
    assert world.secretary.check_password(password) and world.secretary.must_change_password


def test_disable_and_change_role_or_organization(client, world):
    client.force_login(world.admin)
    client.post(url("account_active", world.secretary.pk))
    world.secretary.refresh_from_db()
    assert not world.secretary.is_active
    client.post(url("account_edit", world.secretary.pk), {"full_name": "新", "organization": world.tree.branch_b1.pk,
                                                          "role": Role.ROSTER_STAFF})
    world.secretary.refresh_from_db()
    assert (world.secretary.organization_id, world.secretary.role) == (world.tree.branch_b1.pk, Role.ROSTER_STAFF)


def test_an_admin_cannot_make_a_department_admin_nor_touch_one(client, world):
    client.force_login(world.admin)
    response = client.post(url("account_add"), {"username": "boss", "full_name": "x", "organization":
                                                world.tree.town_a.pk, "role": Role.DEPARTMENT_ADMIN})
    assert response.status_code == 200 and not User.objects.filter(username="boss").exists()
    for name in ACCOUNT_PAGES:
        assert client.get(url(name, world.outsider.pk)).status_code == 403
        assert client.get(url(name, world.admin.pk)).status_code == 403


def test_tree_import_through_the_pages_dry_run_then_confirm(client, world):
    client.force_login(world.admin)
    response = client.post(url("tree_import"), {"file": xlsx(NEW_TOWN)})
    page = response.content.decode()
    assert response.status_code == 200 and "确认导入（新增 4" in page
    assert not Organization.objects.filter(code="C").exists()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    client.force_login(world.outsider)
    assert client.post(url("tree_import_confirm"), {"token": token}).status_code == 302  # another user's token
    assert not Organization.objects.filter(code="C").exists()
    client.force_login(world.admin)
    response = client.post(url("tree_import_confirm"), {"token": token})
    assert response.status_code == 302 and Organization.objects.filter(code="C").exists()


def test_account_import_through_the_pages_prints_slips(client, world):
    client.force_login(world.admin)
    rows = [["王书记", "13812345678", "甲一村党支部", "党支部书记", ""]]
    headers = ["姓名", "手机号码", "所在党组织", "角色", "账号"]
    page = client.post(url("account_import"), {"file": xlsx(rows, headers=headers)}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = client.post(url("account_import_confirm"), {"token": token})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = _password_on(response.content.decode())
    assert User.objects.get(username="13812345678").check_password(password)


def test_the_role_table_and_the_reviewer_export_setting(client, world, settings, reviewer_a):
    client.force_login(world.admin)
    page = client.get(url("accounts")).content.decode()
    assert 'id="role-permissions"' in page and "党支部书记" in page and "导出名册" in page
    assert not reviewer_a.has_perm("members.export_roster")
    settings.COMMITTEE_REVIEWER_EXPORTS_ROSTER = True
    reviewer = User.objects.get(pk=reviewer_a.pk)
    assert reviewer.has_perm("members.export_roster") and not reviewer.has_perm("members.view_personal_data")
    assert "本县已设置" in client.get(url("accounts")).content.decode()
