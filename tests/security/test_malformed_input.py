"""Attacks with malformed input: damaged workbooks, NUL characters and year-10000 dates never give a 500."""
import io
import re
import zipfile
from datetime import date
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activity_cards.views import ENTRY_KINDS
from members.models import Member, RosterImport
from organizations.validators import id_check_char
from tests.activity_cards.conftest import png_upload
from tests.factories import AwayMemberFactory
from tests.members.test_roster_import import XLSX, _valid_row, _xlsx
from tests.test_access_matrix import URLS, media_root, url_of, world  # noqa: F401  (fixtures)
from tests.transfers.helpers import register

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 or "")) * 10}">' for n in range(1, 10))
          + "]>")


def _first_data_cell(xml: str, replacement: str) -> str:
    """Replace cell A3 (the first data row's name) with ``replacement``."""
    patched, count = re.subn(r'<c r="A3"[^>]*>.*?</c>', replacement, xml, count=1)
    assert count == 1
    return patched


def _with_shared_strings(parts: dict[str, bytes], strings_xml: str) -> None:
    parts[STRINGS] = strings_xml.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
                             b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')


def _row_abc(parts):
    parts[SHEET] = parts[SHEET].replace(b'<row r="3"', b'<row r="abc"')


def _cell_without_column_letters(parts):
    parts[SHEET] = parts[SHEET].replace(b'r="A3"', b'r="2"')


def _shared_string_out_of_range(parts):
    _with_shared_strings(parts, f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>张三</t></si></sst>')
    parts[SHEET] = _first_data_cell(parts[SHEET].decode(), '<c r="A3" t="s"><v>9999</v></c>').encode()


def _truncated_sheet(parts):
    parts[SHEET] = parts[SHEET][:len(parts[SHEET]) * 2 // 3]


def _huge_column(parts):
    parts[SHEET] = parts[SHEET].replace(b'r="A3"', b'r="XFDXFDXFD3"')


def _billion_laughs_in_sheet(parts):
    xml = _first_data_cell(parts[SHEET].decode(), '<c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c>')
    parts[SHEET] = (LAUGHS.replace("lolz", "worksheet") + xml).encode()


def _billion_laughs_in_shared_strings(parts):
    _with_shared_strings(parts, LAUGHS.replace("lolz", "sst")
                         + f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    parts[SHEET] = _first_data_cell(parts[SHEET].decode(), '<c r="A3" t="s"><v>0</v></c>').encode()


def _harmless_entity_in_sheet(parts):
    """Even a small internal entity is refused: the reader does not expand entities at all."""
    xml = _first_data_cell(parts[SHEET].decode(), '<c r="A3" t="inlineStr"><is><t>&name;</t></is></c>')
    parts[SHEET] = ('<!DOCTYPE worksheet [<!ENTITY name "新党员">]>' + xml).encode()


def _number_cell_that_is_not_a_number(parts):
    parts[SHEET] = _first_data_cell(parts[SHEET].decode(), '<c r="A3" t="n"><v>abc</v></c>').encode()


def _date_cell_that_is_not_a_date(parts):
    parts[SHEET] = _first_data_cell(parts[SHEET].decode(), '<c r="A3" t="d"><v>2026-13-45</v></c>').encode()


def _unknown_cell_type(parts):
    parts[SHEET] = _first_data_cell(parts[SHEET].decode(), '<c r="A3" t="zzz"><v>1</v></c>').encode()


def _more_cells_in_a_row_than_excel_has_columns(parts):
    cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * 16385
    parts[SHEET] = parts[SHEET].replace(b"</row></sheetData>", cells + b"</row></sheetData>")


def _rows_going_backwards(parts):
    parts[SHEET] = parts[SHEET].replace(b'<row r="3"', b'<row r="1"')


DAMAGES = [_row_abc, _cell_without_column_letters, _shared_string_out_of_range, _truncated_sheet, _huge_column,
           _billion_laughs_in_sheet, _billion_laughs_in_shared_strings, _harmless_entity_in_sheet,
           _number_cell_that_is_not_a_number, _date_cell_that_is_not_a_date, _unknown_cell_type,
           _more_cells_in_a_row_than_excel_has_columns, _rows_going_backwards]


def _damaged_workbook(tree, damage) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_xlsx([_valid_row(tree.branch_a1)]))) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    damage(parts)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return output.getvalue()


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda damage: damage.__name__.strip("_"))
def test_damaged_workbook_is_refused_with_a_chinese_message(client, secretary_a1, tree, damage):
    client.force_login(secretary_a1)
    before = list(Member.objects.values_list("pk", "version"))
    upload = SimpleUploadedFile("名册.xlsx", _damaged_workbook(tree, damage), XLSX)
    response = client.post(reverse("members:import"), {"file": upload})
    assert response.status_code in (200, 400)
    assert "文件已损坏" in response.content.decode()
    assert list(Member.objects.values_list("pk", "version")) == before
    assert not RosterImport.objects.exists()


def test_the_undamaged_workbook_imports(client, secretary_a1, tree):
    """The damaged files above differ from this one only by the damage."""
    client.force_login(secretary_a1)
    upload = SimpleUploadedFile("名册.xlsx", _damaged_workbook(tree, lambda parts: None), XLSX)
    response = client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200 and "新增 1" in response.content.decode()


def test_content_far_right_of_the_roster_is_refused_not_padded(client, secretary_a1, tree):
    def far_right(parts):
        parts[SHEET] = parts[SHEET].replace(
            b"</row></sheetData>", b'<c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')

    client.force_login(secretary_a1)
    upload = SimpleUploadedFile("名册.xlsx", _damaged_workbook(tree, far_right), XLSX)
    response = client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    assert "第3行第16384列超出了名册的范围" in response.content.decode()


# --- NUL characters and year-10000 dates in every form ----------------------------------------

NUL = "甲\x00乙"
BAD_DATES = ("10000-01-01", "9999-12-31")
BAD_MONTHS = ("10000-01", "9999-12")
CRAWLED_USERS = ("secretary_a1", "reviewer_a", "county_admin", "staff_user")


class _Forms(HTMLParser):
    """Every form of a page: its action, method, fields with their kinds and the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                          "fields": {}, "kinds": {}, "files": []}
            self.forms.append(self._form)
        elif self._form is None or "name" not in attrs:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select":
            self._form["kinds"][attrs["name"]] = "select"
            self._form["fields"].setdefault(attrs["name"], "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["kinds"][self._textarea] = "textarea"
            self._form["fields"][self._textarea] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _input(self, attrs):
        name, kind, value = attrs["name"], attrs.get("type", "text"), attrs.get("value") or ""
        if kind == "file":
            self._form["files"].append(name)
        elif kind in ("checkbox", "radio"):
            if "checked" in attrs or (kind == "radio" and name not in self._form["fields"]):
                self._form["fields"][name] = value or "on"
            self._form["kinds"][name] = kind
        elif kind not in ("submit", "button", "reset", "image"):
            self._form["fields"][name] = value
            self._form["kinds"][name] = kind

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None


def _forms_of(html: str) -> list[dict]:
    """The page's forms, each select set to its selected option (or its first real one)."""
    parser = _Forms()
    options = re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    parser.feed(html)
    selected = {}
    for match in options:
        values = re.findall(r'<option[^>]*value="([^"]*)"([^>]*)>', match[2])
        chosen = [value for value, rest in values if "selected" in rest]
        non_empty = [value for value, _rest in values if value]
        selected[match[1]] = (chosen or non_empty or [""])[0]
    for form in parser.forms:
        for name, kind in form["kinds"].items():
            if kind == "select":
                form["fields"][name] = selected.get(name, "")
    return parser.forms


def _plausible(name: str, kind: str, value: str) -> str:
    """A value for an empty input, so that the submission gets past the required fields to the service."""
    if value:
        return value
    today = timezone.localdate()
    if kind == "date":
        return today.isoformat()
    if kind == "month":
        return today.strftime("%Y-%m")
    if kind == "number":
        return "1"
    if name.endswith("id_number"):
        first17 = "11010519900307011"
        return first17 + id_check_char(first17)
    if name.endswith("phone"):
        return "13800000000"
    if kind in ("text", "textarea", "search"):
        return "测试"
    return value


def _attacks(form) -> list[tuple[str, str]]:
    """(field, value) pairs: NUL in every field; an impossible year in every date or month field."""
    attacks = []
    for name, kind in form["kinds"].items():
        if name == "csrfmiddlewaretoken":
            continue
        attacks.append((name, NUL))
        if kind == "date" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", form["fields"].get(name, "")):
            attacks.extend((name, value) for value in BAD_DATES)
        elif kind == "month":
            attacks.extend((name, value) for value in BAD_MONTHS)
    return attacks


def _submit(client, url: str, form, field: str, value: str):
    data = {name: _plausible(name, form["kinds"].get(name, ""), current) for name, current in form["fields"].items()}
    data[field] = value
    if form["method"] == "get":
        return client.get(url, data)
    for name in form["files"]:
        data[name] = png_upload()
    return client.post(url, data)


def _crawl(client, urls) -> dict[tuple, tuple[str, dict]]:
    """The forms of ``urls`` as the client's user sees them, each once."""
    found = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in _forms_of(response.content.decode()):
            target = form["action"] or url
            if target.startswith(("/accounts/logout", "/admin")) or not form["kinds"]:
                continue
            key = (form["method"], target.split("?")[0], tuple(sorted(form["kinds"])))
            found.setdefault(key, (target, form))
    return found


#: what the field error says where a user types: text (locale/zh_Hans's wording of Django's NUL message), dates
FIELD_ERRORS = {"text": "不允许的空字符", "textarea": "不允许的空字符", "search": "不允许的空字符", "date": "日期",
                "month": "日期"}


def _failures(client, forms) -> list[str]:
    """Submit each attack against the state the page was crawled in (each one rolled back).

    None may be a 500. A typed field (text, date) must come back with its Chinese field error; a
    submission that is accepted anyway is followed to the page it leads to, which must still work.
    """
    client.raise_request_exception = False
    failures = []
    for target, form in forms.values():
        for field, value in _attacks(form):
            with transaction.atomic():
                response = _submit(client, target, form, field, value)
                if response.status_code == 302:
                    response = client.get(response["Location"])
                transaction.set_rollback(True)
            attack = f"{form['method'].upper()} {target} {field}={value!r}"
            expected = FIELD_ERRORS.get(form["kinds"][field]) if form["method"] == "post" else None
            if response.status_code >= 500:
                failures.append(f"{attack}: {response.status_code}")
            elif expected and (response.status_code not in (200, 400) or expected not in response.content.decode()):
                failures.append(f"{attack}: no field error 「{expected}」")
    return failures


@pytest.fixture
def pages(world):
    """Every page of the access matrix, plus the states that show more forms."""
    pending = register(AwayMemberFactory(organization=world.tree.branch_a1), world.users["secretary_a1"])
    urls = [url_of(world, name, obj) for name, obj, *_users in URLS]
    urls += [reverse("activity_cards:entry", args=[world.card.pk, kind]) for kind in ENTRY_KINDS]
    urls += [reverse("transfers:outflow_detail", args=[pending.pk]), reverse("password_change")]
    return urls


def test_nul_and_year_10000_in_every_form_of_every_page_are_field_errors(client, world, pages):
    failures, attacked = [], set()
    for username in CRAWLED_USERS:  # each form once, as the first of these users who sees it
        client.force_login(world.users[username])
        forms = {key: form for key, form in _crawl(client, pages).items() if key not in attacked}
        attacked.update(forms)
        failures += [f"{username}: {failure}" for failure in _failures(client, forms)]
    assert len(attacked) > 30
    assert not failures, "\n".join(failures)


def test_nul_in_the_live_recommendation_is_not_a_500(client, world):
    client.force_login(world.users["secretary_a1"])
    url = reverse("transfers:recommend", args=[world.member.pk])
    query = {"expected_months": "8", "purpose": "work", "fixed_place": "on", "destination_city": "上海市",
             "host_unit": "某公司", "supervising_department": "", "unit_locality": ""}
    for name in query:
        assert client.get(url, {**query, name: NUL}).status_code in (200, 400)


def test_a_roster_date_in_year_9999_is_a_cell_error(client, secretary_a1, tree):
    client.force_login(secretary_a1)
    upload = SimpleUploadedFile("名册.xlsx", _xlsx([_valid_row(tree.branch_a1, 外出时间=date(9999, 12, 31))]), XLSX)
    response = client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    assert "日期超出范围" in response.content.decode()
    assert not Member.objects.exists()


def test_nul_and_year_10000_on_the_login_form_are_field_errors(client, world):
    forms = _crawl(client, [reverse("login")])
    assert len(forms) == 1
    assert _failures(client, forms) == []
