"""Fixtures for activity cards: a host in another town, a third organization, real image files."""
import io
import os
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.roles import Role
from activity_cards.services import card_issue
from organizations.choices import OrganizationKind
from tests.factories import AwayMemberFactory, OrganizationFactory, UserFactory


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
    return card_issue(member=member, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)
