"""The left-hand menu, by permission. Apps appear here once they are wired in."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None)
MENU = [
    (_("工作台"), "dashboard", None),
    (_("党员名册"), "members:list", "members.view_member"),
    (_("新增党员"), "members:create", "members.add_member"),
    (_("党组织"), "organizations:list", "organizations.view_organization"),
    (_("季度报告"), "reports:list", "reports.view_quarterlyreport"),
    (_("报告审核"), "reports:review", "reports.review_quarterlyreport"),
    (_("系统管理"), "admin:index", "accounts.change_user"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, url_name, perm in MENU:
        if perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # The deepest menu address the page lies under is the active one
    # (so /reports/review/ marks 报告审核, not also 季度报告).
    matches = [item for item in items if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"menu_items": items}
