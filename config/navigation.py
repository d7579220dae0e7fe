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
    (_("双向共管"), "cooperation:agreement_list", "cooperation.view_agreement"),
    (_("党员本人报告"), "portal:inbox", "portal.view_submission"),
    (_("通报"), "portal:notice_list", "portal.view_notice"),
    (_("活动证"), "activity_cards:list", "activity_cards.view_activitycard"),
    (_("活动证查验提醒"), "activity_cards:due", "activity_cards.view_activitycard"),
    (_("党费欠缴名单"), "members:dues_arrears", "members.view_member"),
    (_("导出名册"), "members:export_list", "members.export_roster"),
    (_("导入名册"), "members:import", "members.import_roster"),
    (_("党组织"), "organizations:list", "organizations.view_organization"),
    (_("困难帮扶"), "assistance:list", "assistance.view_helprequest"),
    (_("季度报告"), "reports:list", "reports.view_quarterlyreport"),
    (_("报告审核"), "reports:review", "reports.review_quarterlyreport"),
    (_("不活跃提示"), "jobs:flag_list", "jobs.view_inactivityflag"),
    (_("失联党员"), "jobs:case_list", "jobs.view_lostcontactcase"),
    (_("提醒"), "notifications:list", None),
    (_("党组织管理"), "administration:tree", "organizations.change_organization"),
    (_("账号管理"), "administration:accounts", "accounts.change_user"),
    (_("系统管理"), "admin:index", "accounts.change_user"),
    (_("定时任务运行情况"), "jobs:schedule_runs", "jobs.view_scheduledjobrun"),
    (_("个人信息访问记录"), "members:access_log", "members.view_personaldataaccess"),
]


# Titled groups for the left menu, by url name. An entry of MENU not listed here lands in 其他,
# so a new app only has to add its line to MENU.
MENU_SECTIONS = [
    (_("党员"), ["dashboard", "members:list", "members:create", "organizations:list"]),
    (_("外出与流入"), ["transfers:outflow_list", "transfers:inflow_list", "portal:inbox", "portal:notice_list",
                     "assistance:list", "cooperation:agreement_list"]),
    (_("活动证与党费"), ["activity_cards:list", "activity_cards:due", "members:dues_arrears"]),
    (_("报告与提醒"), ["reports:list", "reports:review", "jobs:flag_list", "jobs:case_list", "notifications:list"]),
    (_("管理"), ["members:export_list", "members:import", "administration:tree", "administration:accounts",
                 "admin:index", "jobs:schedule_runs", "members:access_log"]),
]


#: url name → ``counter(user) -> int`` shown next to the menu item; apps register theirs from ``ready()``.
_MENU_COUNTS = {}


def register_menu_count(url_name: str, counter) -> None:
    _MENU_COUNTS[url_name] = counter


def _sections(items):
    section_of = {url_name: title for title, url_names in MENU_SECTIONS for url_name in url_names}
    order = [title for title, _names in MENU_SECTIONS] + [_("其他")]
    grouped = {title: [] for title in order}
    for item in items:
        grouped[section_of.get(item["url_name"], _("其他"))].append(item)
    return [{"title": title, "items": grouped[title]} for title in order if grouped[title]]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, url_name, perm in MENU:
        if perm and not user.has_perm(perm):
            continue
        try:
            item = {"label": label, "url": reverse(url_name), "url_name": url_name, "active": False}
        except NoReverseMatch:
            continue
        if url_name in _MENU_COUNTS:
            item["count"] = _MENU_COUNTS[url_name](user)
        items.append(item)
    # The active item is the one whose address is the longest prefix of this page's.
    matches = [item for item in items if request.path.startswith(item["url"]) and (item["url"] != "/" or request.path == "/")]
    context = {"menu_items": items, "menu_sections": _sections(items)}
    if matches:
        active = max(matches, key=lambda item: len(item["url"]))
        active["active"] = True
        context["menu_trail"] = _trail(active, context["menu_sections"], request.path)
    return context


def _trail(active, sections, path):
    """Where the page sits in the menu, for pages that draw no breadcrumb of their own."""
    section = next(section["title"] for section in sections if active in section["items"])
    return {"section": section, "label": active["label"], "url": active["url"], "is_current": active["url"] == path}
