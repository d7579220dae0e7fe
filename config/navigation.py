"""The left-hand menu, by permission. Apps appear here once they are wired in."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None)
MENU = [
    (_("工作台"), "dashboard", None),
    (_("党员名册"), "members:list", "members.view_member"),
    (_("新增党员"), "members:create", "members.add_member"),
    (_("外出管理"), "transfers:outflow_list", "transfers.view_outflow"),
    (_("流入管理"), "transfers:inflow_list", "transfers.view_inflow"),
    (_("活动证"), "activity_cards:list", "activity_cards.view_activitycard"),
    (_("活动证查验提醒"), "activity_cards:due", "activity_cards.view_activitycard"),
    (_("党费欠缴名单"), "members:dues_arrears", "members.view_member"),
    (_("导出名册"), "members:export_list", "members.export_roster"),
    (_("导入名册"), "members:import", "members.import_roster"),
    (_("党组织"), "organizations:list", "organizations.view_organization"),
    (_("季度报告"), "reports:list", "reports.view_quarterlyreport"),
    (_("报告审核"), "reports:review", "reports.review_quarterlyreport"),
    (_("不活跃提示"), "jobs:flag_list", "jobs.view_inactivityflag"),
    (_("失联党员"), "jobs:case_list", "jobs.view_lostcontactcase"),
    (_("提醒"), "notifications:list", None),
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
            items.append({"label": label, "url": reverse(url_name), "active": False})
        except NoReverseMatch:
            continue
    # The active item is the one whose address is the longest prefix of this page's.
    matches = [item for item in items if request.path.startswith(item["url"]) and (item["url"] != "/" or request.path == "/")]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"menu_items": items}
