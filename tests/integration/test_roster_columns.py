"""The roster's "current document" and "inactivity" columns come from the real records."""
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.activity_cards.conftest import issue_card
from jobs.scans import inactivity_scan
from tests.activity_cards.conftest import ISSUE_FIELDS, png_upload
from tests.factories import AwayMemberFactory
from tests.members.test_roster_export import HEADERS
from tests.transfers.helpers import register

pytestmark = pytest.mark.django_db


def _column(client, header):
    response = client.get(reverse("members:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    names = {row[HEADERS.index("姓名")]: row[HEADERS.index(header)]
             for row in sheet.iter_rows(min_row=3, values_only=True)}
    return names


def test_current_document_shows_card_or_letter(client, tree, secretary_a1, reviewer_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with_card = AwayMemberFactory(organization=tree.branch_a1, name="持证")
    card = issue_card(member=with_card, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)
    with_letter = AwayMemberFactory(organization=tree.branch_a1, name="转接")
    outflow = register(with_letter, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
    AwayMemberFactory(organization=tree.branch_a1, name="无证")
    client.force_login(secretary_a1)
    column = _column(client, "当前证件")
    assert column["持证"] == f"活动证 {card.number}"
    assert column["转接"] == f"组织关系介绍信 {outflow.introduction_letter.number}"
    assert column["无证"] in (None, "")


def test_inactivity_column_names_the_open_flags(client, tree, secretary_a1):
    AwayMemberFactory(organization=tree.branch_a1, name="久未联系", dues_paid_through=date(2025, 1, 1))
    inactivity_scan(today=date(2026, 11, 25))
    client.force_login(secretary_a1)
    value = _column(client, "不活跃提示")["久未联系"]
    assert "未交党费" in value
