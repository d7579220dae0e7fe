"""A member away from branch A1 with a link, the branch's secretary, and a client holding the member's session."""
import pytest
from django.test import Client

from portal.links import portal_link_issue
from tests.activity_cards.conftest import png_bytes, png_upload  # noqa: F401  (re-exported for the tests)
from tests.factories import AwayMemberFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def away(tree):
    return AwayMemberFactory(organization=tree.branch_a1, name="金明哲")


@pytest.fixture
def link(away, secretary_a1):
    return portal_link_issue(member=away, acting_user=secretary_a1)


def answer(member) -> dict:
    return {"birth_date": member.birth_date.isoformat(), "id_last4": member.id_number[-4:]}


@pytest.fixture
def member_client(link):
    client = Client()
    response = client.post(f"/m/{link.token}/", answer(link.member))
    assert response.status_code == 302, response.content.decode()
    return client
