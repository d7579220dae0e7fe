"""Headers that keep an injected script from running and personal data out of caches.

If a script ever got into a page (a crafted upload, a stored value printed
unescaped), the Content-Security-Policy is what stops it; pages holding
personal data must not stay in the browser's cache of a shared office PC.
"""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from tests.activity_cards.conftest import issue_card
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory
from tests.security.crafted_images import jpeg_with_script

pytestmark = pytest.mark.django_db

BROWSER_FEATURES_DENIED = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def member(tree):
    return AwayMemberFactory(organization=tree.branch_a1, name="金明哲")


@pytest.fixture
def card(member, reviewer_a):
    return issue_card(member=member, acting_user=reviewer_a, photo=SimpleUploadedFile("x.html", jpeg_with_script()),
                      issued_on=member.departure_date, purpose="work", reason="外出务工", destination="上海市",
                      departure_date=member.departure_date, expected_months=5)


@pytest.fixture
def responses(client, tree, member, card, secretary_a1, secretary_b1):
    """Answers of every kind: anonymous page, signed-in pages, the admin site, another town's 404, a photo."""
    answers = {"login page (anonymous)": client.get(reverse("login"))}
    client.force_login(secretary_a1)
    answers.update({
        "dashboard": client.get(reverse("dashboard")),
        "member detail": client.get(member.get_absolute_url()),
        "member form": client.get(reverse("members:update", args=[member.pk])),
        "card photo": client.get(reverse("activity_cards:photo", args=[card.pk])),
        "admin site (not staff)": client.get(reverse("admin:index")),
    })
    client.force_login(secretary_b1)
    answers["404 (another town's member)"] = client.get(member.get_absolute_url())
    return answers


def test_every_response_carries_a_strict_csp(responses):
    for what, response in responses.items():
        directives = _directives(response)
        assert directives["script-src"] == ["'self'"], what
        assert directives["style-src"] == ["'self'"], what
        assert directives["default-src"] == ["'self'"], what
        assert directives["object-src"] == ["'none'"], what
        assert directives["frame-ancestors"] == ["'none'"], what
        assert directives["base-uri"] == ["'none'"], what
        assert "unsafe" not in response["Content-Security-Policy"], what


def test_every_response_denies_browser_features(responses):
    for what, response in responses.items():
        for feature in BROWSER_FEATURES_DENIED:
            assert feature in response["Permissions-Policy"], (what, feature)


def test_nothing_a_signed_in_user_receives_may_be_cached(responses):
    for what, response in responses.items():
        if what != "login page (anonymous)":
            assert response["Cache-Control"] == "no-store", what


def test_the_photo_is_an_image_that_cannot_be_sniffed_into_a_page(responses):
    photo = responses["card photo"]
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"


def test_json_answers_are_not_cached_either(client, tree, secretary_a1):
    draft = MemberFactory(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    response = client.get(reverse("transfers:recommend", args=[draft.pk]), {"expected_months": "8"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"


# --- nothing inline that the CSP would block ----------------------------------------------------

INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _inline_problems(html: str) -> list[str]:
    return [f"{kind}: {match.group(0)[:80]}" for kind, pattern in INLINE.items() for match in pattern.finditer(html)]


def test_no_template_holds_inline_script_or_style():
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [path for path in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in path.parts]
    problems = {str(path): found for folder in folders for path in folder.rglob("*.html")
                if (found := _inline_problems(path.read_text(encoding="utf-8")))}
    assert problems == {}


def test_rendered_pages_hold_no_inline_script_or_style(client, tree, member, card, secretary_a1, county_admin):
    draft = MemberFactory(organization=tree.branch_a1)
    pages = {
        secretary_a1: [reverse("dashboard"), reverse("members:list"), member.get_absolute_url(),
                       reverse("members:update", args=[member.pk]),
                       reverse("transfers:outflow_register", args=[draft.pk]),
                       reverse("activity_cards:detail", args=[card.pk]), reverse("activity_cards:print", args=[card.pk]),
                       reverse("members:export_list"), reverse("notifications:list"), reverse("organizations:list")],
        county_admin: [reverse("dashboard"), reverse("reports:review"), reverse("organizations:list"),
                       member.get_absolute_url()],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.role, url)
            assert _inline_problems(response.content.decode()) == [], (user.role, url)


def test_organization_tree_is_still_indented_without_style_attributes(client, tree, county_admin):
    client.force_login(county_admin)
    html = client.get(reverse("organizations:list")).content.decode()
    assert 'class="indent-0"' in html and 'class="indent-1"' in html and 'class="indent-2"' in html
    stylesheet = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert ".table td.indent-2 { padding-left: 3em; }" in stylesheet


def test_town_department_admin_pages_carry_the_headers_too(client, tree):
    admin = UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)
    client.force_login(admin)
    response = client.get(reverse("members:list"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert _directives(response)["script-src"] == ["'self'"]
