"""The data migration's mapping of old free text, on rows as towns wrote them (misspellings included)."""
import pytest

from members.models import Member
from places.backfill import backfill
from tests.factories import AwayMemberFactory
from tests.places.test_parser import CASES

pytestmark = pytest.mark.django_db

TEXTS = ("destination_country", "destination_province", "destination_city")

#: (country, province, city) columns as old registers have them.
COLUMNS = [
    ("", "浙江省", "杭州市"), ("", "浙江", "杭州"), ("", "", "浙江省杭州市西湖区"), ("韩国", "", "首尔"),
    ("", "", "首尔"), ("", "上海", "上海"), ("", "上海市", "上海市"), ("", "吉林省", "吉林"),
    ("", "吉林", "延吉"), ("", "", "廷吉市"), ("日本", "", "东京"), ("", "广东", "深川"),
]


def test_old_text_gets_codes_and_what_cannot_be_read_stays(tree):
    rows = [(text, division, country) for text, division, country, _remainder in CASES]
    members = [AwayMemberFactory(organization=tree.branch_a1, destination_province="", destination_city=text[:30],
                                 destination_division_id=None, abroad_country_id=None) for text, *_ in rows]
    unreadable = [AwayMemberFactory(organization=tree.branch_a1, destination_province="", destination_city=text,
                                    destination_division_id=None, abroad_country_id=None)
                  for text in ("西湖区", "外地打工", "吉林省")]
    mapped, left = backfill(Member, texts=TEXTS)
    assert (mapped, left) == (len(rows), len(unreadable))
    for member, (text, division, country) in zip(members, rows):
        member.refresh_from_db()
        assert (member.destination_division_id or "", member.abroad_country_id or "") == (division, country), text
    for member in unreadable:
        member.refresh_from_db()
        assert member.destination_division_id is None and member.abroad_country_id is None
        assert member.destination_city  # nothing dropped


def test_columns_are_read_together(tree):
    members = [AwayMemberFactory(organization=tree.branch_a1, destination_country=country,
                                 destination_province=province, destination_city=city,
                                 destination_division_id=None, abroad_country_id=None)
               for country, province, city in COLUMNS]
    backfill(Member, texts=TEXTS)
    got = {(m.destination_country, m.destination_province, m.destination_city):
           (m.destination_division_id, m.abroad_country_id) for m in Member.objects.filter(pk__in=[m.pk for m in members])}
    assert got[("", "浙江省", "杭州市")] == got[("", "浙江", "杭州")] == ("330100", None)
    assert got[("", "", "浙江省杭州市西湖区")] == ("330106", None)
    assert got[("韩国", "", "首尔")] == got[("", "", "首尔")] == (None, "KR")
    assert got[("", "上海", "上海")] == got[("", "上海市", "上海市")] == ("310000", None)
    assert got[("", "吉林省", "吉林")] == ("220200", None)
    assert got[("", "吉林", "延吉")] == got[("", "", "廷吉市")] == ("222401", None)
    assert got[("日本", "", "东京")] == (None, "JP")
    assert got[("", "广东", "深川")] == ("440300", None)
