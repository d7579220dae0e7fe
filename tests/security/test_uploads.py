"""Attacks on uploaded and generated files: card photos, roster exports and import uploads.

The attacker uploads a picture that is also an HTML page, guesses file
names under /media/, or fetches another town's files by id or token.
"""
import importlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse
from PIL import Image

from accounts.roles import Role
from activity_cards import services as card_services
from activity_cards.models import ActivityCard
from activity_cards.photos import stored_photos_reencode
from members.models import RosterExport, RosterImport
from tests.activity_cards.conftest import card_outflow
from tests.factories import AwayMemberFactory, UserFactory
from tests.members.test_roster_import import _upload, _valid_row, _xlsx
from tests.security.crafted_images import SCRIPT, jpeg_with_script, png_declaring, png_with_script

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^card-photos/\d{4}/[0-9a-f]{32}\.(jpg|png)$")
ISSUE_POST = {"issued_on": "2026-03-01", "photo_kind": "photo"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(params=[False, True], ids=["DEBUG=0", "DEBUG=1"])
def debug(request, settings):
    """The URLconf as it is built with DEBUG off and on (static() helpers only add routes with DEBUG on)."""
    import config.urls

    settings.DEBUG = request.param
    importlib.reload(config.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def member(tree):
    return AwayMemberFactory(organization=tree.branch_a1, name="金明哲")


@pytest.fixture
def other_town_users(tree):
    """Signed-in users of town B: none of them may see branch A1's files."""
    return [
        UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY),
        UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER),
        UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN),
    ]


def _issue(client, member, reviewer, upload):
    client.force_login(reviewer)
    return client.post(reverse("activity_cards:issue", args=[card_outflow(member).pk]), {**ISSUE_POST, "photo": upload})


def _photo_url(card):
    return reverse("activity_cards:photo", args=[card.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _stored(card) -> bytes:
    with card.photo.open("rb") as stored:
        return stored.read()


@pytest.fixture
def card(client, member, reviewer_a):
    """A card issued through the page with the crafted JPEG named x.html."""
    _issue(client, member, reviewer_a, SimpleUploadedFile("x.html", jpeg_with_script(), content_type="text/html"))
    client.logout()
    return ActivityCard.objects.get()


# --- the crafted photo ------------------------------------------------------------------

def test_crafted_jpeg_named_x_html_is_stored_as_a_random_jpg_without_the_script(card, media_root):
    assert RANDOM_NAME.match(card.photo.name) and card.photo.name.endswith(".jpg")
    assert card.number not in card.photo.name and "x" != Path(card.photo.name).stem
    stored = _stored(card)
    assert stored.startswith(b"\xff\xd8") and stored.endswith(b"\xff\xd9")  # nothing after EOI
    assert b"<script" not in stored and b"pwned" not in stored and b"\xff\xfe" not in stored  # no COM segment
    assert [path.name for path in media_root.rglob("*") if path.is_file()] == [Path(card.photo.name).name]


def test_crafted_jpeg_is_served_as_an_inline_image_that_cannot_be_sniffed(client, card, reviewer_a):
    client.force_login(reviewer_a)
    response = client.get(_photo_url(card))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{card.number}.jpg"'
    assert response["Cache-Control"] == "no-store"
    body = _body(response)
    assert body.startswith(b"\xff\xd8") and b"<script" not in body
    with Image.open(card.photo.path) as image:
        assert image.format == "JPEG" and image.size == (60, 80)


def test_png_with_a_script_in_a_text_chunk_is_re_encoded_and_served_as_png(client, member, reviewer_a):
    upload = SimpleUploadedFile("photo.svg", png_with_script(), content_type="image/svg+xml")
    assert _issue(client, member, reviewer_a, upload).status_code == 302
    card = ActivityCard.objects.get()
    assert RANDOM_NAME.match(card.photo.name) and card.photo.name.endswith(".png")
    stored = _stored(card)
    assert b"<script" not in stored and b"tEXt" not in stored and stored.endswith(b"IEND\xaeB`\x82")
    response = client.get(_photo_url(card))
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{card.number}.png"'
    assert b"<script" not in _body(response)


def test_exif_with_the_camera_and_time_is_dropped_and_its_rotation_applied(client, member, reviewer_a):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2026:03:01 08:00:00"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (10, 120, 10)).save(buffer, format="JPEG", exif=exif.tobytes())
    assert _issue(client, member, reviewer_a, SimpleUploadedFile("me.jpg", buffer.getvalue())).status_code == 302
    card = ActivityCard.objects.get()
    assert b"PhoneMaker" not in _stored(card)
    with Image.open(card.photo.path) as image:
        assert not image.getexif() and image.size == (80, 60)


def test_replacement_photo_is_re_encoded_too(client, card, reviewer_a):
    new_card = card_services.card_replace(card=card, acting_user=reviewer_a, replaced_on=date(2026, 4, 1),
                                          photo=SimpleUploadedFile("new.htm", png_with_script()))
    assert RANDOM_NAME.match(new_card.photo.name) and new_card.photo.name != card.photo.name
    assert SCRIPT not in _stored(new_card)


@pytest.mark.parametrize("name, content, message", [
    ("x.html", b"<html><body>" + SCRIPT + b"</body></html>", "不是有效的图片"),
    ("photo.jpg", b"GIF89a" + SCRIPT, "不是有效的图片"),
    ("bomb.png", png_declaring(8000, 8000), "照片尺寸过大"),
])
def test_a_file_that_is_not_a_usable_photo_is_refused_in_chinese(client, member, reviewer_a, media_root,
                                                                  name, content, message):
    response = _issue(client, member, reviewer_a, SimpleUploadedFile(name, content, content_type="image/jpeg"))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["photo"])
    assert not ActivityCard.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_service_refuses_a_non_image_even_without_the_form(member, reviewer_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        card_services.card_issue(outflow=card_outflow(member), acting_user=reviewer_a,
                                 photo=SimpleUploadedFile("x.jpg", SCRIPT), issued_on=date(2026, 3, 1))
    assert "不是有效的图片" in str(refused.value.message_dict["photo"])


# --- who may fetch the photo -------------------------------------------------------------

def test_another_towns_users_get_404_for_the_photo_by_id(client, card, other_town_users):
    for user in other_town_users:
        client.force_login(user)
        assert client.get(_photo_url(card)).status_code == 404, user.role


def test_anonymous_is_sent_to_login_for_the_photo(client, card):
    response = client.get(_photo_url(card))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_guessed_media_urls_are_404_for_everyone(client, card, reviewer_a, secretary_b1, debug):
    guesses = [f"/media/{card.photo.name}", f"/media/card-photos/{date.today():%Y}/{card.number}.jpg",
               f"/media/card-photos/{date.today():%Y}/{card.number}.html"]
    for user in (None, secretary_b1, reviewer_a):  # not even the card's own committee: no public URL at all
        if user:
            client.force_login(user)
        for url in guesses:
            assert client.get(url).status_code == 404, (user, url)


def test_a_photo_stored_before_re_encoding_is_never_served_as_a_page(client, card, reviewer_a):
    legacy = card.photo.storage.save(f"card-photos/2026/{card.number}.html", ContentFile(jpeg_with_script()))
    ActivityCard.objects.filter(pk=card.pk).update(photo=legacy)
    client.force_login(reviewer_a)
    assert client.get(_photo_url(card)).status_code == 404


# --- photos already stored by an installation (the data migration) -----------------------------

def test_stored_photos_are_re_encoded_and_renamed(client, card, reviewer_a, media_root):
    replacement = card_services.card_replace(card=card, acting_user=reviewer_a, replaced_on=date(2026, 4, 1))
    storage = card.photo.storage
    legacy = storage.save(f"card-photos/2025/{card.number}.html", ContentFile(jpeg_with_script()))
    broken = storage.save("card-photos/2025/22202500009.png", ContentFile(b"<html>" + SCRIPT))
    ActivityCard.objects.filter(pk__in=[card.pk, replacement.pk]).update(photo=legacy)  # the two share a file
    third = AwayMemberFactory(organization=card.member.organization)
    broken_card = card_services.card_issue(outflow=card_outflow(third), acting_user=reviewer_a,
                                           issued_on=date(2026, 3, 1),
                                           photo=SimpleUploadedFile("p.png", png_with_script()))
    ActivityCard.objects.filter(pk=broken_card.pk).update(photo=broken)

    assert stored_photos_reencode(ActivityCard) == {"reencoded": 1, "cleared": 1}

    card.refresh_from_db()
    replacement.refresh_from_db()
    broken_card.refresh_from_db()
    assert card.photo.name == replacement.photo.name and RANDOM_NAME.match(card.photo.name)
    assert card.photo.name.startswith("card-photos/2025/") and card.photo.name.endswith(".jpg")
    assert SCRIPT not in _stored(card) and not storage.exists(legacy)
    assert broken_card.photo.name == "" and not storage.exists(broken)
    assert not any(SCRIPT in path.read_bytes() for path in media_root.rglob("*") if path.is_file())
    client.force_login(reviewer_a)
    assert client.get(_photo_url(card))["Content-Type"] == "image/jpeg"
    assert client.get(_photo_url(broken_card)).status_code == 404
    assert "照片缺失" in client.get(broken_card.get_absolute_url()).content.decode()


# --- roster exports and import uploads --------------------------------------------------------

@pytest.fixture
def eager_celery():
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def stored_export(client, tree, secretary_a1, settings, eager_celery, django_capture_on_commit_callbacks):
    """A whole unmasked roster of branch A1, written to MEDIA_ROOT by the background export."""
    settings.ROSTER_EXPORT_SYNC_LIMIT = 1
    AwayMemberFactory.create_batch(2, organization=tree.branch_a1)
    client.force_login(secretary_a1)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("members:export"))
    client.logout()
    job = RosterExport.objects.get()
    assert job.status == RosterExport.Status.DONE and job.file.storage.exists(job.file.name)
    return job


EXPORT_VIEWS = ["members:export_progress", "members:export_status", "members:export_download"]


def test_other_users_get_404_for_an_export_by_its_token(client, tree, stored_export, other_town_users):
    same_branch = UserFactory(organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    county_staff = UserFactory(organization=tree.county, role=Role.ROSTER_STAFF)
    for user in [*other_town_users, same_branch, county_staff]:
        client.force_login(user)
        for name in EXPORT_VIEWS:
            assert client.get(reverse(name, args=[stored_export.token])).status_code in (403, 404), (user.role, name)


def test_the_owner_downloads_the_export_without_caching(client, secretary_a1, stored_export):
    client.force_login(secretary_a1)
    response = client.get(reverse("members:export_download", args=[stored_export.token]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment;")


def test_anonymous_is_sent_to_login_for_an_export(client, stored_export):
    for name in EXPORT_VIEWS:
        response = client.get(reverse(name, args=[stored_export.token]))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name


def test_export_and_import_files_have_no_public_url(client, tree, secretary_a1, secretary_b1, stored_export, debug):
    client.force_login(secretary_a1)
    _upload(client, _xlsx([_valid_row(tree.branch_a1)]))
    stash = RosterImport.objects.get()
    assert stash.file.storage.exists(stash.file.name)
    for user in (None, secretary_b1, secretary_a1):
        client.logout()
        if user:
            client.force_login(user)
        for name in (stored_export.file.name, stash.file.name):
            assert client.get(f"/media/{name}").status_code == 404, (user, name)
