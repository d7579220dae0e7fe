"""The first county admin of a fresh installation, made by a management command."""
import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from organizations.choices import OrganizationKind
from organizations.models import Organization


def test_an_empty_tree_gets_the_county_and_its_admin(db, monkeypatch):
    monkeypatch.setenv("COUNTY_ADMIN_PASSWORD", "Yanbian-2026-strong")
    call_command("create_county_admin", organization_name="中共某某县委员会", organization_code="2224",
                 username="admin", full_name="李管理", verbosity=0)
    county = Organization.objects.get()
    admin = User.objects.get(username="admin")
    assert (county.name, county.kind, county.depth) == ("中共某某县委员会", OrganizationKind.COUNTY_COMMITTEE, 1)
    assert admin.organization == county and admin.role == Role.DEPARTMENT_ADMIN and admin.is_staff
    assert admin.check_password("Yanbian-2026-strong") and not admin.is_superuser


def test_an_existing_tree_is_used_by_name_and_a_wrong_name_is_refused(tree, monkeypatch):
    monkeypatch.setenv("COUNTY_ADMIN_PASSWORD", "Yanbian-2026-strong")
    call_command("create_county_admin", organization_name=tree.county.name, username="admin2", verbosity=0)
    assert User.objects.get(username="admin2").organization == tree.county
    with pytest.raises(CommandError, match="根组织"):
        call_command("create_county_admin", organization_name="别的县委", username="admin3", verbosity=0)
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_county_admin", organization_name=tree.county.name, username="admin2", verbosity=0)


def test_a_weak_password_is_refused(db, monkeypatch):
    monkeypatch.setenv("COUNTY_ADMIN_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("create_county_admin", organization_name="中共某某县委员会", organization_code="2224",
                     username="admin", verbosity=0)
    assert not Organization.objects.exists() and not User.objects.exists()
