"""The county administrator's pages: the organization tree and the logins.

Every object is looked up through ``visible_to(user)`` (another subtree's id is a 404, like a missing one);
every write goes through a service that checks the subtree again and records the change.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import services as account_services
from accounts.models import User
from accounts.roles import Role
from administration import account_io, forms, services, tree_io, unmapped_places
from administration.excel import read_workbook, run_import, sign_dataset, unsign_dataset
from administration.permission_table import permission_table
from members.choices import REGISTRY_STATUSES
from organizations import services as organization_services
from organizations.models import Organization
from organizations.service_views import ServiceFormView, attach_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_INDENT_LEVEL = 6


class TreeAdminMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "organizations.change_organization"


class AccountAdminMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "accounts.change_user"


def _xlsx_response(dataset, filename: str) -> HttpResponse:
    response = HttpResponse(dataset.export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _no_store(response):
    """Pages with initial passwords: never kept by the browser or a proxy, so they cannot be reopened."""
    response["Cache-Control"] = "no-store"
    return response


# ---- organization tree ----

class TreeView(TreeAdminMixin, TemplateView):
    template_name = "administration/tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organizations = (Organization.objects.visible_to(user).order_by("path").annotate(
            member_count=Count("members", distinct=True, filter=Q(members__membership_status__in=REGISTRY_STATUSES)),
            account_count=Count("users", filter=Q(users__is_active=True), distinct=True)))
        root_depth = user.organization.depth if user.organization else 1
        rows = [(org, min(org.depth - root_depth, MAX_INDENT_LEVEL)) for org in organizations]
        context["rows"] = [(org, level) for org, level in rows if not org.is_closed]
        context["closed"] = [org for org, _level in rows if org.is_closed]
        context["own_id"] = user.organization_id
        return context


class OrganizationObjectMixin(TreeAdminMixin):
    """The organization of the URL, inside the user's subtree and open, or 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.organization = get_object_or_404(Organization.objects.visible_to(request.user).open(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.organization
        context["breadcrumb"] = list(Organization.objects.get_ancestors(self.organization)) + [self.organization]
        return context

    def success_url_for(self, result):
        return reverse("administration:tree")


class OrganizationAddView(TreeAdminMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.OrganizationAddForm
    extra_context = {"title": _("新增党组织")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        parent = self.request.GET.get("parent", "")
        return {"parent": parent} if parent.isdigit() else {}

    def perform(self, form):
        return organization_services.organization_add(acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result):
        return reverse("administration:tree")

    def get_success_message(self, result):
        return _("已新增党组织：%(name)s") % {"name": result.name}


class OrganizationEditView(OrganizationObjectMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.OrganizationForm
    extra_context = {"title": _("修改党组织信息")}

    def get_initial(self):
        return {name: getattr(self.organization, name) for name in organization_services.EDITABLE_FIELDS}

    def perform(self, form):
        return organization_services.organization_update(organization=self.organization,
                                                         acting_user=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("已保存：%(name)s") % {"name": result.name}


class OrganizationMoveView(OrganizationObjectMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.MoveForm
    extra_context = {"title": _("移动党组织"), "note": _(
        "连同下级组织、全部党员和历史记录一起移到新的上级党组织之下；党员、报告等记录不变。")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "organization": self.organization}

    def perform(self, form):
        return organization_services.organization_move(organization=self.organization, acting_user=self.request.user,
                                                       new_parent=form.cleaned_data["new_parent"])

    def get_success_message(self, result):
        return _("已移动：%(name)s") % {"name": result.name}


class OrganizationMergeView(OrganizationObjectMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.MergeForm
    extra_context = {"title": _("合并党组织"), "danger": True}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "organization": self.organization}

    def perform(self, form):
        self.target = form.cleaned_data["target"]
        return services.organization_merge(source=self.organization, target=self.target,
                                           acting_user=self.request.user)

    def get_success_message(self, result):
        return _("%(source)s已并入%(target)s：转入党员 %(moved)d 名，停用账号 %(disabled)d 个。") % {
            "source": self.organization.name, "target": self.target.name, **result}


class OrganizationCloseView(OrganizationObjectMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.ConfirmForm
    extra_context = {"title": _("撤销党组织"), "danger": True, "note": _(
        "撤销后，该党组织不再出现在各个列表、统计和提醒中，历史记录保留；它的账号将被停用。须先转走全部在册党员。")}

    def perform(self, form):
        return services.organization_close(organization=self.organization, acting_user=self.request.user)

    def get_success_message(self, result):
        return _("已撤销%(name)s，停用账号 %(n)d 个。") % {"name": self.organization.name, "n": result}


class ExcelImportBase(View):
    """Upload → dry run (nothing written) → confirm (all rows in one transaction, or none).

    The confirmation carries the checked rows, signed for this user (an hour at most), so nothing of the
    file is kept on the server between the two steps.
    """

    template_name = "administration/import.html"
    resource_class = None
    required_headers: list[str] = []
    title = layout = back_url = export_url = confirm_url = import_url = ""

    def context(self, **extra):
        return {"title": self.title, "layout": self.layout, "back_url": reverse(self.back_url),
                "export_url": reverse(self.export_url), "confirm_url": reverse(self.confirm_url), **extra}


class ExcelImportView(ExcelImportBase):
    def get(self, request):
        return render(request, self.template_name, self.context(form=forms.ImportForm()))

    def post(self, request):
        form = forms.ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form=form), status=200)
        try:
            dataset = read_workbook(form.cleaned_data["file"], self.required_headers)
        except ValidationError as exc:
            form.add_error("file", exc)
            return render(request, self.template_name, self.context(form=form), status=200)
        report = run_import(self.resource_class(user=request.user), dataset, dry_run=True)
        token = sign_dataset(dataset, user=request.user) if report.ok else ""
        return render(request, self.template_name, self.context(form=forms.ImportForm(), report=report, token=token,
                                                                uploaded_name=form.cleaned_data["file"].name))


class ExcelImportConfirmView(ExcelImportBase):
    def post(self, request):
        try:
            dataset = unsign_dataset(request.POST.get("token", ""), user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(self.import_url)
        resource = self.resource_class(user=request.user)
        report = run_import(resource, dataset, dry_run=False)
        if not report.ok:
            messages.error(request, _("数据在预演之后有变化，本次没有写入任何数据，请按下表修改后重新上传。"))
            return render(request, self.template_name, self.context(report=report, form=forms.ImportForm()),
                          status=200)
        return self.done(request, report, resource)


class TreeImportMixin:
    resource_class = tree_io.OrganizationResource
    required_headers = tree_io.HEADERS
    title = _("导入党组织")
    layout = " | ".join(tree_io.HEADERS)
    back_url = "administration:tree"
    export_url = "administration:tree_export"
    confirm_url = "administration:tree_import_confirm"
    import_url = "administration:tree_import"


class TreeImportView(TreeAdminMixin, TreeImportMixin, ExcelImportView):
    pass


class TreeImportConfirmView(TreeAdminMixin, TreeImportMixin, ExcelImportConfirmView):
    def done(self, request, report, resource):
        counts = report.counts
        messages.success(request, _("导入完成：新增 %(new)d 个党组织，修改 %(update)d 个，无变化 %(skip)d 个。") % counts)
        return redirect("administration:tree")


class TreeExportView(TreeAdminMixin, View):
    def get(self, request):
        return _xlsx_response(tree_io.OrganizationResource(user=request.user).export(), "党组织.xlsx")


# ---- accounts ----

class AccountListView(AccountAdminMixin, TemplateView):
    template_name = "administration/accounts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accounts"] = (User.objects.visible_to(self.request.user).select_related("organization")
                               .order_by("-is_active", "organization__path", "username"))
        context["permission_table"] = permission_table()
        context["reviewer_exports"] = settings.COMMITTEE_REVIEWER_EXPORTS_ROSTER
        return context


def _slips(request, pairs, *, title: str):
    site = settings.SITE_URL or request.build_absolute_uri("/")
    response = render(request, "administration/slips.html", {"slips": pairs, "site": site, "title": title})
    return _no_store(response)


class AccountCreateView(AccountAdminMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.AccountCreateForm
    extra_context = {"title": _("新建账号")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return account_services.account_create(acting_user=self.request.user, **form.cleaned_data)

    def form_valid(self, form):
        try:
            account, password = self.perform(form)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=200)
        return _slips(self.request, [(account, password)], title=_("新账号的初始密码"))


class AccountObjectMixin(AccountAdminMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.account = get_object_or_404(User.objects.visible_to(request.user).select_related("organization"),
                                             pk=kwargs["pk"])
            if self.account.pk == request.user.pk or (
                    self.account.role == Role.DEPARTMENT_ADMIN and not request.user.is_superuser):
                raise PermissionDenied(_("本人和组织部管理员的账号请由上级管理员办理。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "account": self.account}

    def success_url_for(self, result):
        return reverse("administration:accounts")


class AccountEditView(AccountObjectMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.AccountForm
    extra_context = {"title": _("修改账号")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        a = self.account
        return {"full_name": a.first_name, "phone": a.phone, "organization": a.organization_id, "role": a.role}

    def perform(self, form):
        return account_services.account_update(account=self.account, acting_user=self.request.user,
                                               **form.cleaned_data)

    def get_success_message(self, result):
        return _("已保存账号 %(name)s。") % {"name": result.username}


class AccountActiveView(AccountObjectMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.ConfirmForm

    def get_context_data(self, **kwargs):
        title = _("停用账号") if self.account.is_active else _("启用账号")
        return {**super().get_context_data(**kwargs), "title": title, "danger": self.account.is_active}

    def perform(self, form):
        return account_services.account_set_active(account=self.account, acting_user=self.request.user,
                                                   active=not self.account.is_active)

    def get_success_message(self, result):
        return (_("已启用账号 %(name)s。") if result.is_active else _("已停用账号 %(name)s。")) % {"name": result.username}


class AccountResetView(AccountObjectMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.ConfirmForm
    extra_context = {"title": _("重置密码"), "danger": True, "note": _(
        "将生成新的初始密码并只显示一次，原密码立即失效；对方用新密码登录后须先修改密码。")}

    def form_valid(self, form):
        try:
            password = account_services.account_reset_password(account=self.account, acting_user=self.request.user)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=200)
        return _slips(self.request, [(self.account, password)], title=_("重置后的初始密码"))


class AccountImportMixin:
    resource_class = account_io.AccountResource
    required_headers = account_io.REQUIRED
    title = _("导入账号")
    layout = " | ".join(account_io.HEADERS)
    back_url = "administration:accounts"
    export_url = "administration:account_export"
    confirm_url = "administration:account_import_confirm"
    import_url = "administration:account_import"


class AccountImportView(AccountAdminMixin, AccountImportMixin, ExcelImportView):
    pass


class AccountImportConfirmView(AccountAdminMixin, AccountImportMixin, ExcelImportConfirmView):
    def done(self, request, report, resource):
        if not resource.slips:
            messages.success(request, _("导入完成：修改 %(update)d 个账号，无变化 %(skip)d 个，没有新账号。") % report.counts)
            return redirect("administration:accounts")
        return _slips(request, resource.slips, title=_("导入账号的初始密码"))


class AccountExportView(AccountAdminMixin, View):
    def get(self, request):
        return _xlsx_response(account_io.AccountResource(user=request.user).export(), "账号.xlsx")


class UnmappedPlacesView(TreeAdminMixin, TemplateView):
    """Places the migration or an import could not read into codes: the county fixes them one by one."""

    template_name = "administration/unmapped_places.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=unmapped_places.unmapped_rows(self.request.user), **kwargs)


class PlaceFixView(TreeAdminMixin, ServiceFormView):
    template_name = "administration/form.html"
    form_class = forms.PlaceFixForm
    success_message = _("地点已核对。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.kind = unmapped_places.KINDS.get(kwargs["kind"])
            if self.kind is None:
                raise Http404
            self.object = get_object_or_404(self.kind.unmapped(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        text = self.kind.text_of(self.object)
        return super().get_context_data(title=_("核对地点：%(text)s") % {"text": text}, **kwargs)

    def perform(self, form):
        services.place_fix(obj=self.object, kind=self.kind, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result):
        return reverse("administration:unmapped_places")
