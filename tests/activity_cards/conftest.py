"""Fixtures for activity cards: a host in another town, a third organization, real image files."""
import io
import os
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from accounts.roles import Role
from activity_cards.services import card_issue
from organizations.choices import OrganizationKind
from organizations.models import Organization
from tests.factories import AwayMemberFactory, OrganizationFactory, UserFactory
from tests.transfers.helpers import outflow_fields
from transfers.choices import Handling, OutflowStatus
from transfers.models import Outflow
from transfers.services import outflow_approve, outflow_register


def png_bytes(size=(60, 80), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="photo.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def oversize_png_upload() -> SimpleUploadedFile:
    """A real PNG of about 3 MB: random noise does not compress."""
    side = 1000
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    data = buffer.getvalue()
    assert len(data) > 2 * 1024 * 1024
    return SimpleUploadedFile("big.png", data, content_type="image/png")


def text_as_png_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", "这不是图片，只是改了扩展名的文本文件。".encode(), content_type="image/png")


ISSUE_FIELDS = dict(
    issued_on=date(2026, 3, 1), purpose="work", reason="外出务工", destination="上海市人民路1号",
    departure_date=date(2026, 3, 1), expected_months=5,
)


def _user(organization, role):
    return (User.objects.filter(organization=organization, role=role, is_active=True).order_by("pk").first()
            or UserFactory(organization=organization, role=role))


def card_outflow(member, *, purpose="work", reason="外出务工", destination="上海市人民路1号",
                 departure_date=date(2026, 3, 1), expected_months=5) -> Outflow:
    """The member's approved outflow with handling 发放活动证, registered and approved through the services."""
    existing = Outflow.objects.filter(member=member, status=OutflowStatus.APPROVED,
                                      handling=Handling.ACTIVITY_CARD).first()
    if existing is not None:
        return existing
    secretary = _user(member.organization, Role.BRANCH_SECRETARY)
    reviewer = _user(Organization.objects.get_parent(member.organization), Role.COMMITTEE_REVIEWER)
    outflow = outflow_register(member=member, acting_user=secretary, **outflow_fields(
        talk_date=departure_date, departure_date=departure_date, expected_months=expected_months, purpose=purpose,
        fixed_place=False, can_transfer=False, destination_address=destination, occupation=reason,
        handling=Handling.ACTIVITY_CARD, override_reason="单位暂不能接收组织关系", receiving_organization_name=""))
    outflow_approve(outflow=outflow, acting_user=reviewer)
    return outflow


def issue_card(*, member, acting_user, photo, issued_on=date(2026, 3, 1), photo_kind="photo", **outflow):
    """Issue a card the way users do: from the member's approved activity-card outflow."""
    outflow.pop("override_reason", None)
    for ignored in ("fixed_place", "can_transfer", "returns_often"):
        outflow.pop(ignored, None)
    return card_issue(outflow=card_outflow(member, **outflow), acting_user=acting_user, issued_on=issued_on,
                      photo=photo, photo_kind=photo_kind)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def town_c(tree):
    """A third organization: neither the member's origin nor host."""
    town = OrganizationFactory(parent=tree.county, name="丙镇党委", kind=OrganizationKind.TOWN_COMMITTEE)
    branch = OrganizationFactory(parent=town, name="丙一村党支部")
    return type("TownC", (), dict(town=town, branch=branch))


@pytest.fixture
def reviewer_c(town_c):
    return UserFactory(organization=town_c.town, role=Role.COMMITTEE_REVIEWER)


@pytest.fixture
def secretary_c1(town_c):
    return UserFactory(organization=town_c.branch, role=Role.BRANCH_SECRETARY)


@pytest.fixture
def member(tree):
    """A member of branch A1 staying with branch B1 (the host, in the other town)."""
    return AwayMemberFactory(organization=tree.branch_a1, host_organization=tree.branch_b1,
                             dues_paid_through=date(2026, 2, 1))


@pytest.fixture
def card(member, reviewer_a):
    return issue_card(member=member, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)
