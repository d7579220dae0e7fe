import django_filters
from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from accounts.models import User
from members.choices import MembershipStatus, MobilityStatus
from members.forms import DATE_WIDGET
from members.masking import can_see_personal_data
from members.mobile_definition import member_ids
from members.models import Member, PersonalDataAccess
from members.search import search_members
from organizations.models import Organization


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with ties broken by id, so that no row is repeated or skipped at a page boundary."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        tie = "-id" if ordering[-1].startswith("-") else "id"
        return qs.order_by(*ordering, tie)


#: A subtree with more organizations than this lists only its top levels in the filter (OrganizationsListed).
ORGANIZATION_CHOICES_LIMIT = 500


class OrganizationsListed(BaseChoiceIterator):
    """The choices of the 党组织 filter: the whole subtree when it is small (one query, as before); for a city
    or a province only its own organization and the two levels under it, plus the one selected, because a
    select of 13,000 branches takes seconds to render and nobody scrolls it. Any organization of the subtree
    is still accepted (a link to one branch's list); only the list shown is shorter.

    The empty choice comes first without a query, as with Django's own iterator (the widget peeks at it)."""

    def __init__(self, organizations, empty_label, selected):
        self.organizations, self.empty_label, self.selected = organizations, empty_label, selected

    def __iter__(self):
        yield "", self.empty_label
        shown = list(self.organizations[:ORGANIZATION_CHOICES_LIMIT + 1])
        if len(shown) > ORGANIZATION_CHOICES_LIMIT:
            shown = list(self.organizations.filter(depth__lte=shown[0].depth + 2))
            selected = str(self.selected or "")
            if selected.isdigit() and int(selected) not in {o.pk for o in shown}:
                shown += list(self.organizations.filter(pk=int(selected)))
                shown.sort(key=lambda o: o.path)
        for organization in shown:
            yield organization.pk, str(organization)


class MemberFilter(django_filters.FilterSet):
    """Search, filters and sorting of the member list (and of the roster export)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("姓名、拼音、身份证号或手机号")}))
    organization = django_filters.ModelChoiceFilter(
        label=_("党组织"), queryset=Organization.objects.none(), method="in_subtree", empty_label=_("全部")
    )
    mobility_status = django_filters.ChoiceFilter(
        label=_("流动状态"), choices=MobilityStatus.choices, empty_label=_("全部")
    )
    membership_status = django_filters.ChoiceFilter(
        label=_("党籍状态"), choices=MembershipStatus.choices, empty_label=_("在册（含停止党籍）"),
    )
    statistics = django_filters.ChoiceFilter(
        label=_("统计口径"), method="filter_statistics", empty_label=_("全部"),
        choices=[("counted", _("计入统计的流动党员")), ("short_trips", _("短期外出（不计入统计）"))],
    )
    incomplete = django_filters.BooleanFilter(
        label=_("六个掌握"), method="filter_incomplete",
        widget=forms.Select(choices=[("", _("全部")), ("true", _("信息不全")), ("false", _("信息完整"))]),
    )
    sort = StableOrderingFilter(
        label=_("排序"),
        fields=(("name", "name"), ("organization__path", "organization"), ("departure_date", "departure_date"),
                ("mobility_status", "mobility_status"), ("updated_at", "updated_at")),
        field_labels={"name": _("姓名"), "organization__path": _("党组织"), "departure_date": _("外出时间"),
                      "mobility_status": _("流动状态"), "updated_at": _("更新时间"),
                      "-name": _("姓名（倒序）"), "-organization": _("党组织（倒序）"),
                      "-departure_date": _("外出时间（由近到远）"), "-mobility_status": _("流动状态（倒序）"),
                      "-updated_at": _("更新时间（由近到远）")},
    )

    class Meta:
        model = Member
        fields = ["q", "organization", "mobility_status", "statistics", "membership_status", "incomplete"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.visible_to(user).open().order_by("path")
        self.filters["organization"].queryset = organizations
        self.filters["sort"].extra["empty_label"] = _("默认")
        field = self.form.fields["organization"]
        field.widget.choices = OrganizationsListed(organizations, field.empty_label, self.form["organization"].data)
        self.show_personal_data = can_see_personal_data(user)

    @property
    def qs(self):
        # Members no longer in the organization (自行脱党, 除名, 转出, 去世 …) are listed only when asked for.
        queryset = super().qs
        asked_for = self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("membership_status")
        return queryset if asked_for else queryset.in_registry()

    def search(self, queryset, name, value):
        return search_members(queryset, value, show_personal_data=self.show_personal_data)

    def in_subtree(self, queryset, name, value):
        return queryset.filter(organization__path__startswith=value.path) if value else queryset

    def filter_statistics(self, queryset, name, value):
        """The one definition of ``transfers.mobile_members``, as of today."""
        return queryset.filter(pk__in=member_ids(value, timezone.localdate())) if value else queryset

    def filter_incomplete(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.incomplete() if value else queryset.complete()


class PersonalDataAccessFilter(django_filters.FilterSet):
    """Filters of the 个人信息访问记录 page: who, when, what kind of page, about whom."""

    user = django_filters.ModelChoiceFilter(label=_("用户"), queryset=User.objects.none(), empty_label=_("全部"))
    at_from = django_filters.DateFilter(label=_("起始日期"), field_name="at", lookup_expr="date__gte",
                                        widget=DATE_WIDGET)
    at_to = django_filters.DateFilter(label=_("截止日期"), field_name="at", lookup_expr="date__lte",
                                      widget=DATE_WIDGET)
    action = django_filters.ChoiceFilter(label=_("操作"), choices=PersonalDataAccess.Action.choices,
                                         empty_label=_("全部"))
    member_name = django_filters.CharFilter(label=_("党员姓名"), lookup_expr="contains")

    class Meta:
        model = PersonalDataAccess
        fields = ["user", "at_from", "at_to", "action", "member_name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["user"].queryset = User.objects.filter(
            organization__in=Organization.objects.visible_to(user)).order_by("username")
