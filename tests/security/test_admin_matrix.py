"""Every URL of the Django admin, from every side: anonymous, each role, another town's department admin.

The URLs are not listed by hand: they come from ``admin.site._registry`` and each ModelAdmin's
``get_urls()`` (so treebeard's move and children endpoints and simple-history's revert URL are in), plus
the site's own pages (index, app lists, autocomplete, view-on-site). A new admin or a new custom endpoint
is attacked here without anybody remembering to add it.
"""
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from activity_cards.models import ActivityCard
from members.models import Member
from tests.factories import UserFactory
from tests.security.admin_world import build_world, snapshot
from transfers.models import Outflow

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
MISSING = 999999999
PARAMETER = re.compile(r"<(?:\w+:)?\w+>|\([^)]*\)")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(tree):
    world = build_world(tree)
    world.a[User], world.b[User] = world.a["secretary"], world.b["secretary"]
    group = Group.objects.create(name="测试组")
    world.a[Group] = world.b[Group] = group
    return world


def _version(obj):
    history = getattr(obj, "history", None)
    return history.latest().history_id if history is not None and obj is not None else MISSING


def admin_urls(objects):
    """(url, is_object_url) for every admin URL; an object URL gets the object of ``objects``.

    Models without an object in the world (axes' records, the access log) get a missing id: those URLs
    must not break, but they reveal nothing of a town.
    """
    urls = [("/admin/", False), ("/admin/jsi18n/", False),
            ("/admin/autocomplete/?app_label=transfers&model_name=outflow&field_name=member&term=a", False)]
    urls += [(f"/admin/{label}/", False) for label in {m._meta.app_label for m in admin.site._registry}]
    for model, model_admin in admin.site._registry.items():
        obj = objects.get(model)
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.get_urls():
            route = str(pattern.pattern).removeprefix("^").removesuffix("$")
            values = iter([obj.pk if obj is not None else MISSING, _version(obj)])
            url = base + PARAMETER.sub(lambda _m: str(next(values)), route)
            urls.append((url, obj is not None and bool(PARAMETER.search(route))))
        if obj is not None and hasattr(model, "get_absolute_url"):
            content_type = ContentType.objects.get_for_model(model)
            urls.append((f"/admin/r/{content_type.pk}/{obj.pk}/", True))
    return urls


def bad_post(objects):
    """Every field an attacker would try, with values of another town or of the wrong type."""
    return {"name": "改名", "organization": "abc", "status": "closed", "role": "department_admin",
            "is_superuser": "on", "is_staff": "on", "node": "abc", "target": "-1", "relation": "child",
            "treebeard_position": "zz", "treebeard_ref_node": "abc", "password1": "x", "password2": "y",
            "action": "delete_selected", "_selected_action": [obj.pk for key, obj in objects.items()
                                                              if not isinstance(key, str)]}


def _is_public_catalog(url):
    """treebeard's JavaScript translation catalog is served to anyone: it holds no data."""
    return url.endswith("/jsi18n/") and url != "/admin/jsi18n/"


@pytest.mark.parametrize("who", ["anonymous", "secretary", "reviewer", "staff_user"])
def test_everyone_without_the_admin_role_is_sent_to_the_admin_login(client, world, staff_user, who):
    if who != "anonymous":
        client.force_login(staff_user if who == "staff_user" else world.a[who])
    before, wrong = snapshot(), []
    for url, _is_object in admin_urls(world.a):
        if _is_public_catalog(url):
            continue
        for response in (client.get(url), client.post(url, bad_post(world.a))):
            if response.status_code != 302 or not response["Location"].startswith(LOGIN):
                wrong.append((url, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))
    assert snapshot() == before


def test_other_towns_department_admin_gets_404_or_403_on_every_object_url(client, world):
    client.force_login(world.town_b_admin)
    before, wrong = snapshot(), []
    for url, is_object in admin_urls(world.a):
        for method in ("get", "post"):
            response = getattr(client, method)(url, bad_post(world.a) if method == "post" else None, follow=True)
            if (is_object and response.status_code not in (403, 404)) or response.status_code >= 500:
                wrong.append((method, url, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))
    assert snapshot() == before


def test_other_towns_objects_never_appear_in_an_admin_page(client, world):
    """Lists, search results, autocomplete and the tree: town A's names are not in any page town B can open."""
    client.force_login(world.town_b_admin)
    secrets = [world.a["secretary"].username, world.a[Member].name, world.a[Outflow].member.name,
               world.a[ActivityCard].number, world.tree.branch_a1.name]
    leaks = []
    for url, is_object in admin_urls(world.b):
        if is_object:
            continue
        for query in ("", "?q=", "?q=党", "?all="):
            body = client.get(url + query).content.decode(errors="replace")
            leaks += [(url + query, secret) for secret in secrets if secret in body]
    assert not leaks, "\n".join(map(str, leaks))


@pytest.mark.parametrize("who", ["town_admin", "county_admin", "superuser"])
def test_admins_open_every_url_of_their_own_objects_without_a_500(client, world, county_admin, who):
    user = {"town_admin": world.town_admin, "county_admin": county_admin,
            "superuser": UserFactory(is_superuser=True, organization=None, role="")}[who]
    client.force_login(user)
    broken = []
    for url, _is_object in admin_urls(world.a):
        response = client.get(url, follow=True)
        # 403: the role may not read the model, or revert is off; 404: an app with no model the role may read;
        # 405: the move endpoint takes only POST.
        if response.status_code not in (200, 403, 404, 405):
            broken.append((url, response.status_code))
        if response.status_code == 404 and url not in {f"/admin/{label}/" for label in ("auth", "axes")}:
            broken.append((url, response.status_code))
    assert not broken, "\n".join(map(str, broken))
