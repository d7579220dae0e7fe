"""The Django admin from the attacker's side: a department admin of ONE town (town A), and the county admin.

Every changelist shows only the subtree; another town's objects are 404 on every object URL; workflow
records cannot be added, changed or deleted by anybody; history is read-only (no revert); treebeard's move
endpoint and node form stay inside the subtree; the user admin saves, stays in the subtree and grants no flags.
"""
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from activity_cards.models import ActivityCard, CardEvent, CardVerification
from jobs.models import InactivityFlag, LostContactCase
from members.models import Member, PersonalDataAccess
from notifications.models import Notification
from organizations.models import Organization
from reports.models import QuarterlyReport, ReportEvent
from tests.factories import OrganizationFactory, UserFactory
from tests.security.admin_world import build_world, snapshot
from transfers.choices import OutflowStatus
from transfers.models import (CertificateLetter, Inflow, IntroductionLetter, LocationChange, Outflow, OutflowStep,
                              ReturnRegistration)

pytestmark = pytest.mark.django_db

#: Records that change only through services that check the state and log the step.
WORKFLOW_MODELS = [Outflow, OutflowStep, Inflow, IntroductionLetter, CertificateLetter, LocationChange,
                   ReturnRegistration, ActivityCard, CardEvent, CardVerification, QuarterlyReport, ReportEvent,
                   InactivityFlag, LostContactCase, Notification]
#: Models with an admin whose objects belong to a town (every one but the users, tested apart).
SCOPED_MODELS = [Organization, Member, Outflow, IntroductionLetter, CertificateLetter, Inflow, LocationChange,
                 ActivityCard, QuarterlyReport]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(tree):
    return build_world(tree)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_admin_of_ours_is_in_these_tests():
    """A newly registered admin must join SCOPED_MODELS (or the user tests) to be attacked here."""
    ours = {model for model in admin.site._registry if model._meta.app_label not in ("auth", "axes")}
    assert ours - {User, *SCOPED_MODELS} <= {PersonalDataAccess}  # part of the access-log work


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("who", ["town_admin", "town_b_admin"])
def test_changelist_lists_only_the_subtree(client, world, model, who):
    user = getattr(world, who)
    own, other = (world.a, world.b) if who == "town_admin" else (world.b, world.a)
    client.force_login(user)
    # A search shows the organization tree flat, every match wherever it sits.
    response = client.get(admin_url(model, "changelist") + ("?q=党" if model is Organization else ""))
    if response.status_code == 403:  # closed: the role may not even read these (letters, location changes)
        assert not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        return
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert own[model].pk in shown
    assert other[model].pk not in shown
    assert shown <= set(model.objects.visible_to(user).values_list("pk", flat=True))


def test_county_admin_sees_both_towns(client, world, county_admin):
    client.force_login(county_admin)
    for model in (Organization, Member, Outflow, Inflow, ActivityCard, QuarterlyReport):
        response = client.get(admin_url(model, "changelist") + ("?q=党" if model is Organization else ""))
        shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
        assert {world.a[model].pk, world.b[model].pk} <= shown, model


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_other_towns_object_is_404_on_every_object_url(client, world, model):
    client.force_login(world.town_admin)
    obj = world.b[model]
    urls = [admin_url(model, view, obj.pk) for view in ("change", "history", "delete")]
    if hasattr(model, "history"):
        urls.append(admin_url(model, "simple_history", obj.pk, obj.history.latest().history_id))
    before = snapshot()
    for url in urls:  # 403 where the admin refuses the method or the model before looking the object up
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"post": "yes", "name": "改名"}).status_code in (403, 404), url
    if world.town_admin.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        assert client.get(urls[0]).status_code == 404
        assert client.get(urls[1]).status_code == 404
    assert snapshot() == before


def test_missing_object_is_the_same_404(client, world):
    client.force_login(world.town_admin)
    assert client.get(admin_url(Member, "change", 999999999)).status_code == 404
    assert client.get(admin_url(Member, "history", 999999999)).status_code == 404


# Workflow records ------------------------------------------------------------

@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda m: m.__name__)
def test_workflow_models_have_no_add_change_or_delete_in_the_admin(rf, world, county_admin, model):
    superuser = UserFactory(is_superuser=True, organization=None, role="")
    model_admin = admin.site._registry.get(model)
    if model_admin is None:  # not in the admin at all, or only as a read-only inline below
        return
    for user in (world.town_admin, county_admin, superuser):
        request = rf.get("/admin/")
        request.user = user
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None)
            assert not inline.has_change_permission(request)
            assert not inline.has_delete_permission(request)


@pytest.mark.parametrize("model", [m for m in WORKFLOW_MODELS if m in SCOPED_MODELS], ids=lambda m: m.__name__)
def test_posting_to_a_workflow_record_is_403_and_changes_nothing(client, world, county_admin, model):
    obj = world.a[model]
    client.force_login(county_admin)
    before = snapshot()
    assert client.get(admin_url(model, "change", obj.pk)).status_code in (200, 403)  # shown read-only, or closed
    assert client.post(admin_url(model, "change", obj.pk), {"status": "closed"}).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert client.post(admin_url(model, "add"), {"status": "closed"}).status_code == 403
    assert client.post(admin_url(model, "changelist"),
                       {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}).status_code != 500
    assert snapshot() == before


def test_outflow_status_cannot_be_moved_from_approved_to_closed(client, world, county_admin):
    """The issue's case: an approved outflow edited to closed, with no step logged."""
    outflow = world.a[Outflow]
    steps = outflow.steps.count()
    client.force_login(county_admin)
    response = client.post(admin_url(Outflow, "change", outflow.pk), {"status": OutflowStatus.CLOSED,
                                                                        "steps-TOTAL_FORMS": "0",
                                                                        "steps-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    outflow.refresh_from_db()
    assert outflow.status == OutflowStatus.APPROVED and outflow.steps.count() == steps


# History: read-only, no revert --------------------------------------------------

@pytest.mark.parametrize("model", [Member, Organization], ids=lambda m: m.__name__)
def test_history_revert_refuses_post_and_shows_no_form(client, world, model):
    """The issue's case: the revert form of one's own member accepted a POST that moved the member."""
    obj = world.a[model]
    version = obj.history.earliest()
    url = admin_url(model, "simple_history", obj.pk, version.history_id)
    client.force_login(world.town_admin)
    before = snapshot()
    response = client.get(url)
    assert response.status_code == 403
    body = response.content.decode()
    assert 'name="name"' not in body and 'name="organization"' not in body  # no revert form
    data = {"name": "恢复的旧版本", "organization": world.tree.branch_a2.pk, "code": "X1", "kind": "branch"}
    assert client.post(url, data).status_code == 403
    assert snapshot() == before


def test_history_list_shows_changes_without_revert_links(client, world):
    member = world.a[Member]
    client.force_login(world.town_admin)
    response = client.get(admin_url(Member, "history", member.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert member.name in body
    assert f"/history/{member.history.earliest().history_id}/" not in body


def test_history_list_does_not_show_the_fields_the_admin_hides(client, world):
    """The member admin excludes the ID number and phone; their changes must not show through the history."""
    member = world.a[Member]
    old_phone = member.phone
    member.phone = "13900001111"
    member.save()
    client.force_login(world.town_admin)
    body = client.get(admin_url(Member, "history", member.pk)).content.decode()
    assert old_phone not in body and "13900001111" not in body and member.id_number not in body
    assert member.name in body


def test_history_of_a_deleted_other_town_member_is_404(client, world):
    """simple-history looked a missing object up in its history, outside the admin's queryset."""
    member = world.b[Member]
    member_id = member.pk
    Member.objects.filter(pk=member_id).delete()
    client.force_login(world.town_admin)
    assert client.get(admin_url(Member, "history", member_id)).status_code == 404


# Organizations: list, move endpoint, node form ------------------------------------------

@pytest.mark.parametrize("who", ["town_admin", "county_admin", "superuser"])
def test_organization_list_works_and_starts_at_the_users_organization(client, world, county_admin, who):
    user = {"town_admin": world.town_admin, "county_admin": county_admin,
            "superuser": UserFactory(is_superuser=True, organization=None, role="")}[who]
    client.force_login(user)
    response = client.get(admin_url(Organization, "changelist"))
    assert response.status_code == 200
    top = list(response.context["cl"].result_list)
    assert top == [world.tree.town_a if who == "town_admin" else world.tree.county]


def test_children_of_another_towns_node_are_404(client, world):
    client.force_login(world.town_admin)
    base = admin_url(Organization, "changelist")
    assert client.get(f"{base}children/{world.tree.town_a.pk}/").status_code == 200
    assert client.get(f"{base}children/{world.tree.town_b.pk}/").status_code == 404
    assert client.get(f"{base}children/{world.tree.county.pk}/").status_code == 404
    assert client.get(f"{base}children/abc/").status_code == 404


def _move(client, node, target, relation):
    return client.post(admin_url(Organization, "changelist") + "move/",
                       {"node": node.pk, "target": target.pk, "relation": relation})


def test_move_endpoint_cannot_take_another_towns_organization(client, world):
    t = world.tree
    client.force_login(world.town_admin)
    before = snapshot()
    assert _move(client, t.branch_b1, t.town_a, "child").status_code == 404
    assert _move(client, t.town_b, t.town_a, "child").status_code == 404
    # the parameter names of older treebeard versions are not a way around the check
    old_style = {"node_id": t.branch_b1.pk, "sibling_id": t.branch_a1.pk, "as_child": 1}
    assert client.post(admin_url(Organization, "changelist") + "move/", old_style).status_code == 404
    assert snapshot() == before


def test_move_endpoint_cannot_put_ours_under_another_town_or_beside_our_own(client, world):
    t = world.tree
    client.force_login(world.town_admin)
    before = snapshot()
    assert _move(client, t.branch_a1, t.town_b, "child").status_code == 404
    assert _move(client, t.branch_a1, t.branch_b1, "sibling").status_code == 404
    assert _move(client, t.branch_a1, t.town_a, "sibling").status_code == 403  # would sit under the county
    assert _move(client, t.town_a, t.branch_a1, "sibling").status_code == 403  # our own organization stays
    assert _move(client, t.town_a, t.county, "child").status_code == 404
    assert snapshot() == before


def test_move_endpoint_still_moves_inside_the_subtree(client, world):
    t = world.tree
    group = OrganizationFactory(parent=t.branch_a1, name="甲一村党小组")
    client.force_login(world.town_admin)
    assert _move(client, group, t.branch_a2, "child").status_code == 200
    group.refresh_from_db()
    assert Organization.objects.get_parent(group) == t.branch_a2


def _org_form(org, ref_node, position="sorted-child"):
    return {"name": org.name, "code": org.code, "kind": org.kind, "secretary_name": "", "secretary_phone": "",
            "address": "", "treebeard_position": position, "treebeard_ref_node": ref_node.pk if ref_node else ""}


def test_organization_form_offers_and_accepts_only_the_subtree(client, world):
    t = world.tree
    client.force_login(world.town_admin)
    url = admin_url(Organization, "change", t.branch_a1.pk)
    choices = list(client.get(url).context["adminform"].form.fields["treebeard_ref_node"].queryset)
    assert t.town_a in choices and t.town_b not in choices and t.county not in choices
    before = snapshot()
    for data in (_org_form(t.branch_a1, t.town_b), _org_form(t.branch_a1, t.branch_b1, "sorted-sibling"),
                 _org_form(t.branch_a1, t.town_a, "sorted-sibling"), _org_form(t.branch_a1, None)):
        response = client.post(url, data)
        assert response.status_code == 200, data  # the form again, with the error
        assert response.context["adminform"].form.errors, data
    response = client.post(admin_url(Organization, "add"), dict(_org_form(t.branch_a1, t.town_b), code="NEW1"))
    assert response.status_code == 200
    assert snapshot() == before


def test_town_admin_edits_own_organization_without_moving_it(client, world):
    t = world.tree
    client.force_login(world.town_admin)
    url = admin_url(Organization, "change", t.town_a.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, dict(_org_form(t.town_a, t.town_b), name="甲镇党委（新）"))
    assert response.status_code == 302
    t.town_a.refresh_from_db()
    assert t.town_a.name == "甲镇党委（新）" and Organization.objects.get_parent(t.town_a) == t.county


def test_town_admin_adds_an_organization_in_the_subtree(client, world):
    t = world.tree
    client.force_login(world.town_admin)
    new = Organization(name="甲三村党支部", code="A3", kind="branch")
    response = client.post(admin_url(Organization, "add"), _org_form(new, t.town_a))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Organization.objects.get_parent(Organization.objects.get(code="A3")) == t.town_a


# Users -------------------------------------------------------------------------

def _user_form(user, **overrides):
    data = {"username": user.username, "first_name": user.first_name, "last_name": "", "email": "", "phone": "",
            "organization": user.organization_id, "role": user.role, "is_active": "on",
            "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    data.update(overrides)
    return data


def test_user_admin_saves_a_user_of_the_subtree(client, world, county_admin):
    """Bug: saving a user was a 500 (``User.objects.visible_to`` was missing)."""
    secretary = world.a["secretary"]
    client.force_login(county_admin)
    response = client.post(admin_url(User, "change", secretary.pk), _user_form(secretary, first_name="新名字"))
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.first_name == "新名字"


def test_user_admin_cannot_move_a_user_out_of_the_subtree(client, world):
    secretary = world.a["secretary"]
    client.force_login(world.town_admin)
    before = snapshot()
    response = client.post(admin_url(User, "change", secretary.pk),
                           _user_form(secretary, organization=world.tree.branch_b1.pk))
    assert response.status_code == 200 and response.context["adminform"].form.errors["organization"]
    field = response.context["adminform"].form.fields["organization"]
    assert set(field.queryset) == {world.tree.town_a, world.tree.branch_a1, world.tree.branch_a2}
    assert snapshot() == before


def test_user_admin_grants_no_superuser_staff_permission_or_group(client, world):
    client.force_login(world.town_admin)
    permission = Permission.objects.get(codename="change_outflow")
    flags = {"is_superuser": "on", "is_staff": "on", "user_permissions": [permission.pk], "groups": ["1"]}
    response = client.post(admin_url(User, "add"), {
        "username": "newbie", "password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!", "usable_password": "true",
        "organization": world.tree.branch_a1.pk, "role": Role.BRANCH_SECRETARY, **flags})
    assert response.status_code == 302
    newbie = User.objects.get(username="newbie")
    assert not newbie.is_superuser and not newbie.is_staff
    assert not newbie.user_permissions.exists() and not newbie.groups.exists()
    secretary = world.a["secretary"]
    client.post(admin_url(User, "change", secretary.pk), _user_form(secretary, **flags))
    secretary.refresh_from_db()
    assert not secretary.is_superuser and not secretary.is_staff and not secretary.user_permissions.exists()


def test_user_admin_cannot_make_a_department_admin(client, world):
    """The department admin role opens the admin (is_staff): only a superuser gives it."""
    secretary = world.a["secretary"]
    client.force_login(world.town_admin)
    before = snapshot()
    response = client.post(admin_url(User, "change", secretary.pk), _user_form(secretary, role=Role.DEPARTMENT_ADMIN))
    assert response.status_code == 200 and response.context["adminform"].form.errors["role"]
    response = client.post(admin_url(User, "add"), {
        "username": "boss", "password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!", "usable_password": "true",
        "organization": world.tree.branch_a1.pk, "role": Role.DEPARTMENT_ADMIN})
    assert response.status_code == 200
    assert snapshot() == before


def test_superusers_and_other_towns_logins_are_404(client, world):
    root = UserFactory(is_superuser=True, organization=world.tree.branch_a1, role="")
    client.force_login(world.town_admin)
    before = snapshot()
    for user in (root, world.b["secretary"], world.town_b_admin):
        for url in (admin_url(User, "change", user.pk), admin_url(User, "history", user.pk),
                    reverse("admin:auth_user_password_change", args=[user.pk])):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!"}).status_code == 404
        assert client.post(admin_url(User, "delete", user.pk), {"post": "yes"}).status_code in (403, 404)
    shown = set(client.get(admin_url(User, "changelist")).context["cl"].queryset)
    assert root not in shown and world.b["secretary"] not in shown and world.a["secretary"] in shown
    assert snapshot() == before


@pytest.mark.parametrize("model", [User, *SCOPED_MODELS], ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_the_rows(client, world, model):
    """No N+1: a second branch's worth of rows costs no extra query (a superuser sees every model)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.security.admin_world import build_town

    url = admin_url(model, "changelist") + ("?q=党" if model is Organization else "")
    client.force_login(UserFactory(is_superuser=True, organization=None, role=""))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    build_town(OrganizationFactory(parent=world.tree.town_a, name="甲三村党支部"), world.tree.town_a)
    assert count() == before


def test_department_admin_cannot_rescope_themselves_or_a_peer(client, world):
    """A department admin's organization and role are read-only to non-superusers: no climbing, no demoting."""
    peer = UserFactory(organization=world.tree.branch_a1, role=Role.DEPARTMENT_ADMIN)
    client.force_login(world.town_admin)
    for user in (world.town_admin, peer):
        organization_id = user.organization_id
        response = client.post(admin_url(User, "change", user.pk),
                               _user_form(user, first_name="改名", organization=world.tree.branch_a2.pk,
                                          role=Role.BRANCH_SECRETARY))
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.first_name == "改名"
        assert user.role == Role.DEPARTMENT_ADMIN and user.organization_id == organization_id
