"""The left-hand menu, by permission. Apps appear here once they are wired in."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None)
MENU = [
    (_("工作台"), "dashboard", None),
    (_("党员名册"), "members:list", "members.view_member"),
    (_("新增党员"), "members:create", "members.add_member"),
    (_("导出名册"), "members:export_list", "members.export_roster"),
    (_("导入名册"), "members:import", "members.import_roster"),
    (_("党组织"), "organizations:list", "organizations.view_organization"),
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
        items.append({"label": label, "url": url, "active": request.path == url or (url != "/" and request.path.startswith(url) and url_name != "dashboard")})
    return {"menu_items": items}
