"""Masking that hides: attacks by roles without members.view_personal_data (a town's reviewer, staff).

The reconstruction test does what an attacker would: it collects everything
such a role is shown about a member — detail and list pages, the masked
roster export, search answers for probing ``?q=`` digits, the letter,
certificate and activity-card pages, report pages, error pages — and counts
the ID numbers and phones still consistent with all of it. The counting
assumes the worst case for us: the attacker knows the member's gender and
six-digit region prefix, and every rule of GB 11643 (birth date in digits
7–14, gender parity of digit 17, check character).
"""
import html
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.activity_cards.conftest import issue_card
from members.masking import mask_id_number, mask_phone
from organizations.validators import ID_CHECK_CHARS, ID_WEIGHTS
from reports.periods import Quarter
from reports.services import report_start, report_return, report_submit, report_update
from tests.activity_cards.conftest import ISSUE_FIELDS, png_upload
from tests.factories import AwayMemberFactory, MemberFactory, OrganizationFactory
from tests.members.test_roster_import import _upload, _valid_row, _xlsx
from tests.transfers.helpers import register
from transfers.choices import Purpose
from transfers.services import outflow_approve

MIN_CANDIDATES = 1_000
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd", "-1+1", "@SUM(A1:A2)"]


@pytest.fixture
def world(tree, secretary_a1, reviewer_a):
    """Three members of branch A1: one with an introduction letter, one with a certificate, one with a card."""
    lettered = MemberFactory(organization=tree.branch_a1, name="甲字党员")
    register(lettered, secretary_a1)
    certified = MemberFactory(organization=tree.branch_a1, name="乙字党员")
    outflow_approve(outflow=register(certified, secretary_a1, expected_months=2, purpose=Purpose.MEETING),
                    acting_user=reviewer_a)
    carded = AwayMemberFactory(organization=tree.branch_a1, name="丙字党员")
    card = issue_card(member=carded, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)
    report = report_start(organization=tree.branch_a1, quarter=Quarter(2026, 3), acting_user=secretary_a1)
    report = report_update(report=report, acting_user=secretary_a1, work_done="联系外出党员", problems="无")
    report = report_submit(report=report, acting_user=secretary_a1)
    for member in (lettered, certified, carded):
        member.refresh_from_db()
    return type("World", (), dict(lettered=lettered, certified=certified, carded=carded, card=card,
                                  report=report))


# --- what the attacker collects ------------------------------------------------------------------

def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(text)


def file_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def export_text(response) -> str:
    """The roster export as 'header：value' lines, so a value keeps its column's meaning."""
    sheet = load_workbook(BytesIO(file_bytes(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[1]
    return "\n".join(f"{header}：{value}" for row in rows[2:] for header, value in zip(headers, row)
                     if value is not None)


def documents_of(world, member) -> list[str]:
    if member == world.lettered:
        return [reverse("transfers:letter_detail", args=[member.outflows.get().introduction_letter.pk])]
    if member == world.certified:
        return [reverse("transfers:certificate_detail", args=[member.outflows.get().certificate_letter.pk])]
    return [reverse("activity_cards:detail", args=[world.card.pk]),
            reverse("activity_cards:print", args=[world.card.pk])]


def collect(client, user, world, member) -> list[str]:
    """Every page and file the user can get that is about the member (or could mention them)."""
    client.force_login(user)
    urls = [reverse("members:detail", args=[member.pk]), reverse("members:list") + f"?q={member.name}",
            reverse("members:list"), reverse("members:list") + "?sort=bogus&organization=999999",
            reverse("members:detail", args=[999999]), reverse("reports:list"),
            reverse("reports:detail", args=[world.report.pk]), *documents_of(world, member)]
    texts = []
    for url in urls:
        response = client.get(url, follow=True)
        texts.append(page_text(response))
    if user.has_perm("members.export_roster"):
        response = client.get(reverse("members:export") + f"?q={member.name}")
        assert response.status_code == 200
        texts.append(export_text(response))
    return texts


def listed(client, member, query) -> bool:
    body = client.get(reverse("members:list"), {"q": query}).content.decode()
    return f'href="{member.get_absolute_url()}"' in body


def probe(client, member, known: list, true_value: str, alphabet: str) -> list:
    """Learn hidden characters by searching: extend the known head, then the known tail, one at a time.

    A character is learned when exactly one guess finds the member (the true one); when no guess or
    several do (say, a guess that matches the shown part of the phone), the search says nothing.
    """
    known = list(known)
    for step in (1, -1):
        while None in known:
            order = range(len(known)) if step == 1 else range(len(known) - 1, -1, -1)
            gap = next(position for position in order if known[position] is None)
            fixed = known[:gap] if step == 1 else known[gap + 1:]
            if not fixed:
                break
            part = "".join(fixed)
            hits = {c for c in alphabet if listed(client, member, part + c if step == 1 else c + part)}
            if hits != {true_value[gap]}:
                break
            known[gap] = true_value[gap]
    return known


# --- the attacker's counting ---------------------------------------------------------------------

def shown_patterns(texts: list[str], length: int) -> list[str]:
    pattern = re.compile(rf"(?<![0-9X*])[0-9X*]{{{length}}}(?![0-9X*])")
    return [token for text in texts for token in pattern.findall(text) if "*" in token or token.isdigit()]


def merge(patterns: list[str], true_value: str) -> list:
    """Per position, the character any page showed (patterns inconsistent with the member are someone else's)."""
    known = [None] * len(true_value)
    for pattern in patterns:
        if all(c == "*" or c == t for c, t in zip(pattern, true_value)):
            for position, c in enumerate(pattern):
                if c != "*":
                    known[position] = c
    return known


def birth_dates(texts: list[str]) -> list[date]:
    """The birth dates consistent with what the pages say next to 出生日期 / 出生年月."""
    year = month = day = None
    for text in texts:
        for y, m, d in re.findall(r"出生(?:日期|年月)[\s:：]*(\d{4})(?:[-年/](\d{1,2}))?(?:[-月/](\d{1,2}))?", text):
            year = int(y)
            month = int(m) if m else month
            day = int(d) if d else day
    first, last = (date(year, 1, 1), date(year, 12, 31)) if year else (date(1940, 1, 1), date(2010, 12, 31))
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    return [d for d in days if (month is None or d.month == month) and (day is None or d.day == day)]


def id_candidates(known: list, member, texts: list[str]) -> int:
    """ID numbers consistent with the shown characters, dates, gender parity and check character."""
    region = member.id_number[:6]  # worst case: the attacker knows where the member was born
    male = int(member.id_number[16]) % 2
    count = 0
    for birth in birth_dates(texts):
        digits = birth.strftime("%Y%m%d")
        head = region + digits
        if any(k is not None and k != c for k, c in zip(known[:14], head)):
            continue
        partial = sum(int(c) * w for c, w in zip(head, ID_WEIGHTS))
        for sequence in range(1000):
            tail = f"{sequence:03d}"
            if int(tail[2]) % 2 != male or any(k is not None and k != c for k, c in zip(known[14:17], tail)):
                continue
            check = ID_CHECK_CHARS[(partial + sum(int(c) * w for c, w in zip(tail, ID_WEIGHTS[14:]))) % 11]
            if known[17] is None or known[17] == check:
                count += 1
    return count


def phone_candidates(known: list) -> int:
    count = 1
    for position, k in enumerate(known):
        if k is None:
            count *= 1 if position == 0 else 7 if position == 1 else 10  # mainland mobiles: 1[3-9]xxxxxxxxx
    return count


@pytest.mark.parametrize("role", ["reviewer_a", "staff_user"])
@pytest.mark.parametrize("target", ["lettered", "certified", "carded"])
def test_masked_id_number_and_phone_cannot_be_rebuilt(client, request, world, role, target):
    user, member = request.getfixturevalue(role), getattr(world, target)
    texts = collect(client, user, world, member)
    assert any(member.name in text for text in texts)
    assert all(member.id_number not in text and member.phone not in text for text in texts)

    known_id = probe(client, member, merge(shown_patterns(texts, 18), member.id_number), member.id_number,
                     "0123456789X")
    known_phone = probe(client, member, merge(shown_patterns(texts, 11), member.phone), member.phone, "0123456789")
    ids, phones = id_candidates(known_id, member, texts), phone_candidates(known_phone)
    assert ids >= MIN_CANDIDATES and phones >= MIN_CANDIDATES, f"candidates left: ID {ids}, phone {phones}"


# --- search on the shown characters only ---------------------------------------------------------

def test_masked_search_matches_only_the_shown_characters(client, world, reviewer_a, staff_user):
    member = world.lettered
    id_number, phone = member.id_number, member.phone
    for user in (reviewer_a, staff_user):
        client.force_login(user)
        for shown in (id_number[0], id_number[-1], mask_id_number(id_number), phone[:3], phone[-4:],
                      mask_phone(phone)):
            assert listed(client, member, shown), shown
        for hidden in (id_number[6:10], id_number[6:14], id_number[-4:], id_number[:6], id_number,
                       phone[3:7], phone[2:5], phone[-5:], phone):
            assert not listed(client, member, hidden), hidden


def test_probing_hidden_digits_answers_the_same_as_a_wrong_guess(client, world, reviewer_a):
    member = world.lettered
    client.force_login(reviewer_a)
    true_guess = client.get(reverse("members:list"), {"q": member.phone[:4]}).content.decode()
    wrong_digit = str((int(member.phone[3]) + 1) % 10)
    wrong_guess = client.get(reverse("members:list"), {"q": member.phone[:3] + wrong_digit}).content.decode()
    members_in = lambda body: re.findall(r'href="/members/(\d+)/"', body)  # noqa: E731
    assert members_in(true_guess) == members_in(wrong_guess) == []


def test_full_data_roles_search_the_start_and_the_last_digits(client, world, secretary_a1):
    """Every digit they see can be searched from either end (``members.search``: index scans, not a scan of the scope)."""
    member = world.lettered
    client.force_login(secretary_a1)
    assert listed(client, member, member.id_number[:14]) and listed(client, member, member.id_number[-6:])
    assert listed(client, member, member.phone[:7]) and listed(client, member, member.phone[-4:])


# --- birth date: the year only ---------------------------------------------------------------------

def test_masked_roles_cannot_test_guessed_id_numbers_through_the_import(client, world, staff_user, reviewer_a):
    """The import's dry run answers 新增 / 修改 / 无变化 per typed ID number: closed to masked roles."""
    member = world.lettered
    guess = _valid_row(member.organization, 姓名=member.name, 身份证号码=member.id_number,
                       出生日期=member.birth_date, 性别=member.get_gender_display())
    for user in (staff_user, reviewer_a):
        client.force_login(user)
        assert client.get(reverse("members:import")).status_code == 403
        assert client.get(reverse("members:import_template")).status_code == 403
        assert _upload(client, _xlsx([guess])).status_code == 403
        assert "导入名册" not in page_text(client.get(reverse("members:list")))


def _full_date_forms(birth: date) -> list[str]:
    return [birth.strftime("%Y-%m-%d"), f"{birth.year}年{birth.month}月", birth.strftime("%Y/%m/%d")]


def test_masked_roles_see_only_the_birth_year_everywhere(client, world, reviewer_a, staff_user):
    carded = world.carded
    pages = [reverse("members:detail", args=[carded.pk]), reverse("members:list"),
             reverse("activity_cards:print", args=[world.card.pk]),
             reverse("transfers:letter_detail", args=[world.lettered.outflows.get().introduction_letter.pk]),
             reverse("reports:detail", args=[world.report.pk])]
    for user in (reviewer_a, staff_user):
        client.force_login(user)
        for url in pages:
            text = page_text(client.get(url))
            for member in (world.lettered, world.certified, carded):
                assert not any(form in text for form in _full_date_forms(member.birth_date)), (user, url)
        detail = page_text(client.get(reverse("members:detail", args=[carded.pk])))
        assert f"{carded.birth_date.year}年" in detail
        card = page_text(client.get(reverse("activity_cards:print", args=[world.card.pk])))
        assert f"{carded.birth_date.year}年" in card
    client.force_login(staff_user)
    exported = export_text(client.get(reverse("members:export")))
    assert f"出生日期：{carded.birth_date.year}年" in exported
    assert not any(form in exported or str(carded.birth_date) in exported
                   for form in _full_date_forms(carded.birth_date))


def test_full_data_roles_see_the_whole_birth_date(client, world, secretary_a1):
    client.force_login(secretary_a1)
    assert world.carded.birth_date.strftime("%Y-%m-%d") in page_text(
        client.get(reverse("members:detail", args=[world.carded.pk])))


# --- one formula-escaping cell writer for every export ------------------------------------------

def _no_formulas(response, expected: list[str]) -> None:
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(file_bytes(response)))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    for text in expected:
        assert any(isinstance(value, str) and text in value for value in values), text


def test_roster_export_writes_formulas_as_text(client, tree, secretary_a1, staff_user):
    for index, text in enumerate(FORMULAS):
        MemberFactory(organization=tree.branch_a1, occupation=text, host_unit=text, other_contact=text,
                      destination_address=text, dues_paid_where=text, name=f"公式{index}")
    for user in (secretary_a1, staff_user):
        client.force_login(user)
        _no_formulas(client.get(reverse("members:export")), FORMULAS)


def test_report_and_rollup_exports_write_formulas_as_text(client, tree, secretary_a1, reviewer_a, county_admin):
    branch = OrganizationFactory(parent=tree.town_a, name='=HYPERLINK("http://x","y")')
    report = report_start(organization=tree.branch_a1, quarter=Quarter(2026, 3), acting_user=secretary_a1)
    report = report_update(report=report, acting_user=secretary_a1, work_done=FORMULAS[0],
                           problems="\n".join(FORMULAS[1:]))
    report = report_submit(report=report, acting_user=secretary_a1)
    report_return(report=report, acting_user=reviewer_a, comment="@SUM(A1:A2)")
    client.force_login(secretary_a1)
    _no_formulas(client.get(reverse("reports:export", args=[report.pk])), FORMULAS[:1] + ["@SUM(A1:A2)"])
    client.force_login(county_admin)
    response = client.get(reverse("reports:review_export") + f"?quarter={Quarter(2026, 3).key}")
    assert response.status_code == 200
    _no_formulas(response, [branch.name])


def test_import_template_writes_organization_names_as_text(client, tree, county_admin):
    OrganizationFactory(parent=tree.town_a, name='=HYPERLINK("http://x","党支部")')
    client.force_login(county_admin)
    _no_formulas(client.get(reverse("members:import_template")), ['=HYPERLINK("http://x","党支部")'])
