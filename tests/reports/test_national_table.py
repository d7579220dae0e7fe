"""流动党员情况（二） for a branch, a town and the county: its rows add up, and the check names those that do not."""
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import QuarterlyReport, ReportStatus
from reports.national_table import COLUMNS, national_table
from reports.periods import Quarter
from reports.statistics import empty_figures
from tests.factories import MobileMemberFactory
from tests.reports.conftest import Q3

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


@pytest.fixture
def away(tree):
    MobileMemberFactory(organization=tree.branch_a1, destination_unit_kind="state_enterprise", former_occupation="farmer")
    MobileMemberFactory(organization=tree.branch_a1, destination_country="日本", destination_province="",
                        destination_city="东京")
    MobileMemberFactory(organization=tree.branch_a2)
    MobileMemberFactory(organization=tree.branch_b1, departure_date=date(2026, 10, 2))  # after Q3


def _url(org, quarter=Q3, **extra):
    query = {"quarter": quarter.key, "org": org.pk, **extra}
    return reverse("reports:national_table") + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def test_the_county_files_one_row_per_town_and_the_total(away, tree):
    table = national_table(tree.county, Q3, TODAY)
    assert [(row.label, row.figures["outflow"]) for row in table.rows] == [("甲镇党委", 3), ("乙镇党委", 0), ("合计", 3)]
    assert table.failed_checks == []
    total = dict(zip((key for _group, key, _label in COLUMNS), table.rows[-1].values))
    assert (total["scope_abroad"], total["scope_cross_province"], total["unit_kind_state_enterprise"],
            total["former_farmer"], total["card_holders"]) == (1, 2, 1, 1, 0)


def test_a_town_files_one_row_per_branch_and_a_branch_its_own(away, tree):
    assert [row.label for row in national_table(tree.town_a, Q3, TODAY).rows] == ["甲一村党支部", "甲二村党支部", "合计"]
    [own] = national_table(tree.branch_a1, Q3, TODAY).rows
    assert own.figures["outflow"] == 2


def test_every_row_adds_up_in_each_breakdown(away, tree):
    for root in (tree.county, tree.town_a, tree.town_b, tree.branch_a1):
        for row in national_table(root, Q3, TODAY).rows:
            values = dict(zip((key for _group, key, _label in COLUMNS), row.values))
            for prefix in ("scope_", "unit_kind_", "former_"):
                assert sum(v for k, v in values.items() if k.startswith(prefix)) == values["outflow"], (root, row)


def test_the_check_lists_a_row_that_does_not_add_up(client, tree, reviewer_a, secretary_a1, away):
    """A report filed with figures that do not add up (frozen as they were) is named on the page and in the file."""
    broken = {**empty_figures(), "outflow": 2, "scope_cross_province": 1, "unit_kind_unknown": 2, "former_unknown": 2,
              "destinations": {"上海市 上海市": 2}, "trades": {"construction": 2}}
    QuarterlyReport.objects.create(organization=tree.branch_a2, year=Q3.year, quarter=Q3.number,
                                   status=ReportStatus.SUBMITTED, statistics=broken, created_by=secretary_a1)
    table = national_table(tree.town_a, Q3, TODAY)
    assert table.failed_checks == [("甲二村党支部", ["按流动范围各项之和不等于外出党员总数"]),
                                   ("合计", ["按流动范围各项之和不等于外出党员总数"])]
    client.force_login(reviewer_a)
    page = client.get(_url(tree.town_a)).content.decode()
    assert "甲二村党支部：按流动范围各项之和不等于外出党员总数" in page
    sheet = load_workbook(BytesIO(client.get(_url(tree.town_a, format="xlsx")).content)).active
    texts = [row[:2] for row in sheet.iter_rows(values_only=True)]
    assert ("甲二村党支部", "按流动范围各项之和不等于外出党员总数") in texts


def test_the_excel_sheet_has_the_national_layout(client, tree, county_admin, away):
    client.force_login(county_admin)
    response = client.get(_url(tree.county, format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "流动党员情况（二）"
    groups, labels = rows[2], rows[3]
    assert groups[0] == "单位" and "按流动范围" in groups and "按流向单位" in groups and "按原从事职业" in groups
    header = dict(zip(labels, range(len(labels))))
    header.update({groups[i]: i for i in range(len(groups)) if groups[i] and not labels[i]})
    total = next(row for row in rows if row[0] == "合计")
    assert total[header["外出党员总数"]] == 3 and total[header["出国（境）"]] == 1
    assert any(str(row[0]).startswith("校验：各分项之和均等于") for row in rows)


def test_scoped_another_towns_id_is_a_404(client, tree, reviewer_a, secretary_a1):
    client.force_login(reviewer_a)
    assert client.get(_url(tree.town_b)).status_code == 404
    assert client.get(_url(tree.town_a)).status_code == 200
    client.force_login(secretary_a1)
    assert client.get(_url(tree.branch_a2)).status_code == 404
    assert client.get(_url(tree.branch_a1, format="xlsx")).status_code == 200


def test_only_a_quarter_that_has_ended(client, tree, reviewer_a):
    client.force_login(reviewer_a)
    current = Quarter.containing(date.today())
    assert client.get(_url(tree.town_a, quarter=current)).status_code == 404
    assert client.get(reverse("reports:national_table") + "?quarter=nonsense").status_code == 404


def test_anonymous_is_sent_to_log_in(client, tree):
    assert client.get(_url(tree.town_a)).status_code == 302


def test_query_count_does_not_grow_with_the_rows(client, tree, county_admin, away, django_assert_max_num_queries):
    client.force_login(county_admin)
    with django_assert_max_num_queries(30):
        assert client.get(_url(tree.county)).status_code == 200
