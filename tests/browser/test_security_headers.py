"""In a real browser: the crafted photo runs nothing, and the pages work under the strict CSP.

Every page is watched for Content-Security-Policy violations (the
``securitypolicyviolation`` event and chromium's console message), console
errors and uncaught JavaScript errors.
"""
from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from activity_cards.models import ActivityCard
from members import services as member_services
from members.models import RosterExport
from notifications.choices import NotificationKind
from notifications.services import notifications_create
from tests.activity_cards.conftest import card_outflow
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory
from tests.security.crafted_images import jpeg_with_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Runs in every document before the page's own scripts (injected by the browser, not subject to the CSP).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Watch:
    """What went wrong on the pages visited: CSP violations, console errors, uncaught errors, dialogs."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.context.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url} JS error: {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message):
        if message.location.get("url", "").endswith("/favicon.ico"):  # the browser's own guess; there is none
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url} console {message.type}: {message.text}")

    def _dialog(self, dialog):
        self.problems.append(f"{self.page.url} dialog: {dialog.message}")
        dialog.dismiss()

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        self.page.wait_for_load_state("load")
        self.collect()
        return response

    def collect(self):
        self.problems += [f"{self.page.url} CSP: {v}" for v in self.page.evaluate("window.__cspViolations || []")]


@pytest.fixture
def data(tree, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    secretary = UserFactory(username="zhishu", organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    committee = UserFactory(username="dangwei", organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)
    UserFactory(username="zuzhibu", organization=tree.county, role=Role.DEPARTMENT_ADMIN)
    member = AwayMemberFactory(organization=tree.branch_a1, name="金明哲", departure_date=date(2026, 3, 1))
    AwayMemberFactory.create_batch(3, organization=tree.branch_a1)
    staying = MemberFactory(organization=tree.branch_a1, name="李春花")
    export = RosterExport.objects.create(user=secretary, query="", total_rows=4)
    member_services.roster_export_build(job_id=export.pk)
    notifications_create(recipients=[secretary], kind=NotificationKind.MONTHLY_COLLECTION, subject_key="test",
                         period="2026-03", title="请收集本月流动党员信息", member=member)
    return type("Data", (), dict(secretary=secretary, committee=committee, member=member, staying=staying,
                                 export=export))


def _issue_card_with_the_crafted_photo(page, data, tmp_path):
    crafted = tmp_path / "x.html"
    crafted.write_bytes(jpeg_with_script(size=(300, 400)))
    browser_login(page, "dangwei")
    page.goto(reverse("activity_cards:issue", args=[card_outflow(data.member).pk]))
    page.fill("input[name=issued_on]", "2026-03-01")
    page.set_input_files("input[name=photo]", str(crafted))
    page.click("button:has-text('提交')")
    page.wait_for_url(lambda url: "/cards/" in url and "/issue/" not in url)
    return ActivityCard.objects.get(member=data.member)


def test_crafted_jpeg_named_x_html_is_served_as_an_image_and_runs_nothing(page, data, tmp_path):
    watch = Watch(page)
    card = _issue_card_with_the_crafted_photo(page, data, tmp_path)
    assert card.photo.name.endswith(".jpg")

    # Opened directly, as a victim following a link would: chromium shows its image viewer, no page.
    # (That viewer's own inline styles are refused by the CSP; its console is not watched.)
    viewer = page.context.new_page()
    dialogs = []
    viewer.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    photo = viewer.goto(reverse("activity_cards:photo", args=[card.pk]))
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert photo.headers["content-disposition"] == f'inline; filename="{card.number}.jpg"'
    assert viewer.evaluate("typeof window.pwned") == "undefined" and dialogs == []
    assert viewer.locator("script").count() == 0
    assert viewer.locator("img").evaluate("img => img.naturalWidth") == 300
    viewer.close()

    watch.visit(card.get_absolute_url())
    page.wait_for_function("document.querySelector('img.card-photo').complete")
    assert page.locator("img.card-photo").evaluate("img => img.naturalWidth") == 300
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert watch.problems == [], "\n".join(watch.problems)


def test_pages_work_under_the_csp_for_the_secretary_and_the_county(page, chromium, live_server, data, tmp_path,
                                                                      artifacts_dir):
    card = _issue_card_with_the_crafted_photo(page, data, tmp_path)
    page.context.clear_cookies()
    watch = Watch(page)
    browser_login(page, "zhishu")
    for url in [reverse("dashboard"), reverse("members:list"), data.member.get_absolute_url(),
                reverse("members:update", args=[data.member.pk]), card.get_absolute_url(),
                reverse("notifications:list"),
                reverse("organizations:list")]:
        watch.visit(url)

    # the print button's handler lives in static/js/app.js, not in an onclick attribute
    watch.visit(reverse("activity_cards:print", args=[card.pk]))
    page.evaluate("window.print = function () { window.printed = true; }")
    page.click("[data-print]")
    assert page.evaluate("window.printed") is True

    # the export progress page polls its status and shows the download link
    watch.visit(data.export.get_absolute_url())
    page.locator("#export-download").wait_for(state="visible")
    watch.collect()

    # the outflow form asks the server for its recommendation as it is filled in
    watch.visit(reverse("transfers:outflow_register", args=[data.staying.pk]))
    page.select_option("select[name=purpose]", "work")
    page.fill("input[name=expected_months]", "8")
    page.check("input[name=fixed_place]")
    page.check("input[name=can_transfer]")
    page.locator("#recommendation-label").filter(has_text="转移组织关系").wait_for()
    watch.collect()

    # the menu still folds on a phone: its handler is in static/js/app.js
    page.set_viewport_size({"width": 390, "height": 800})
    page.click("[data-toggle-menu]")
    page.locator("#sidebar.open").wait_for()
    watch.collect()

    county = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    county_page = county.new_page()
    county_watch = Watch(county_page)
    browser_login(county_page, "zuzhibu")
    for url in [reverse("dashboard"), reverse("members:list"), data.member.get_absolute_url(),
                card.get_absolute_url(), reverse("reports:review"), reverse("notifications:list")]:
        county_watch.visit(url)
    county_watch.visit(reverse("dashboard"))
    assert county_page.locator("svg.chart").count() >= 1  # the dashboard's charts are drawn under the CSP
    county_page.screenshot(path=str(artifacts_dir / "dashboard_under_csp.png"), full_page=True)
    county.close()

    assert watch.problems == [] and county_watch.problems == []
