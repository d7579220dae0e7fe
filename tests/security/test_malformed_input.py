"""Attacks with malformed input: damaged workbooks, NUL characters and year-10000 dates never give a 500."""
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member, RosterImport
from tests.members.test_roster_import import XLSX, _valid_row, _xlsx

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


def _rows_going_backwards(parts):
    parts[SHEET] = parts[SHEET].replace(b'<row r="3"', b'<row r="1"')


DAMAGES = [_row_abc, _cell_without_column_letters, _shared_string_out_of_range, _truncated_sheet, _huge_column,
           _billion_laughs_in_sheet, _billion_laughs_in_shared_strings, _harmless_entity_in_sheet,
           _number_cell_that_is_not_a_number, _date_cell_that_is_not_a_date, _unknown_cell_type,
           _rows_going_backwards]


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
    assert response.status_code == 400
    assert "第3行第16384列超出了名册的范围" in response.content.decode()
