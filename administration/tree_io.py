"""The organization tree as an Excel sheet, one row per organization, in and out in the same layout.

名称 | 类别 | 上级党组织 | 组织代码 | 行政区划代码

The parent is found by its code or, when unique within the administrator's subtree, by its name; a parent
may be a row higher up in the same file. A row whose code already exists updates the name, kind and
division code; moving an organization to another parent is done on the tree page, where its effect is shown.
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from administration.excel import RowNumberedResource, add_error, find_organization, model_errors
from organizations import services
from organizations.choices import OrganizationKind
from organizations.models import Organization
from organizations.rules import may_hold

NAME, KIND, PARENT, CODE, DIVISION = "名称", "类别", "上级党组织", "组织代码", "行政区划代码"
HEADERS = [NAME, KIND, PARENT, CODE, DIVISION]
FIELD_COLUMNS = {"name": NAME, "kind": KIND, "code": CODE, "division_code": DIVISION, "parent": PARENT}
#: The short names towns write, besides each kind's full label. 党委 depends on where it sits (below).
KIND_ALIASES = {"党工委": OrganizationKind.STREET_COMMITTEE, "街道党委": OrganizationKind.STREET_COMMITTEE,
                "县委": OrganizationKind.COUNTY_COMMITTEE, "支部": OrganizationKind.BRANCH,
                "总支": OrganizationKind.GENERAL_BRANCH, "临时支部": OrganizationKind.TEMPORARY_BRANCH}
KIND_BY_LABEL = {str(label): value for value, label in OrganizationKind.choices}


def parse_kind(text: str, parent: Organization | None) -> str | None:
    if text == "党委":
        county = parent is not None and parent.kind == OrganizationKind.COUNTY_COMMITTEE
        return OrganizationKind.TOWN_COMMITTEE if county else OrganizationKind.GRASSROOTS_COMMITTEE
    return KIND_BY_LABEL.get(text) or KIND_ALIASES.get(text)


class OrganizationResource(RowNumberedResource):
    name = fields.Field(attribute="name", column_name=NAME)
    kind = fields.Field(column_name=KIND)
    parent = fields.Field(column_name=PARENT)
    code = fields.Field(attribute="code", column_name=CODE)
    division_code = fields.Field(attribute="division_code", column_name=DIVISION)
    summary_columns = (NAME, CODE)

    class Meta:
        model = Organization
        fields = ("name", "kind", "parent", "code", "division_code")
        skip_diff = True

    def dehydrate_kind(self, org):
        return org.get_kind_display()

    def dehydrate_parent(self, org):
        parent = self._parents.get(org.path[:-Organization.steplen]) if org.depth > 1 else None
        return parent.code if parent else ""

    def export(self, queryset=None, **kwargs):
        queryset = Organization.objects.visible_to(self.user).open().order_by("path")
        self._parents = {org.path: org for org in queryset}
        anchor = self.user.organization
        if anchor is not None and anchor.depth > 1:
            parent = Organization.objects.get_parent(anchor)
            self._parents[parent.path] = parent
        return super().export(queryset=queryset, **kwargs)

    # import
    def find_instance(self, row):
        code = str(row.get(CODE) or "").strip()
        return Organization.objects.visible_to(self.user).filter(code=code).first() if code else None

    def snapshot(self, org):
        return (org.name, org.kind, org.division_code)

    def _find_parent(self, text: str, errors) -> Organization | None:
        return find_organization(self.user, text, errors, PARENT, _(
            "找不到上级党组织“%(name)s”：请填写本组织或下级组织的名称或组织代码，或把上级党组织的行放在本行之前。")
            % {"name": text})

    def build_instance(self, org, row, errors):
        new = org.pk is None
        if not new and org.is_closed:
            add_error(errors, CODE, _("组织代码为 %(code)s 的党组织已撤销，不能再导入。") % {"code": org.code})
            return
        own = not new and org.pk == self.user.organization_id
        parent = None
        if own:
            parent = Organization.objects.get_parent(org)
        elif not row.get(PARENT):
            add_error(errors, PARENT, _("请填写上级党组织的名称或组织代码。"))
        else:
            parent = self._find_parent(row[PARENT], errors)
        kind = parse_kind(row.get(KIND, ""), parent)
        if kind is None:
            add_error(errors, KIND, _("类别“%(kind)s”无法识别，请填写 党委、党工委、党总支、党支部 或 临时党支部。") % {
                "kind": row.get(KIND, "")})
        if new and row.get(CODE) and Organization.objects.filter(code=row[CODE]).exists():
            add_error(errors, CODE, _("组织代码 %(code)s 已被其他单位的党组织使用，请核对。") % {"code": row[CODE]})
        if not new and not own and parent is not None and Organization.objects.get_parent(org).pk != parent.pk:
            add_error(errors, PARENT, _("与系统中的上级党组织不同。调整上级请到“党组织管理”页面使用“移动”。"))
        org.name, org.code, org.division_code = row.get(NAME, ""), row.get(CODE, ""), row.get(DIVISION, "")
        if kind is not None:
            org.kind = kind
        org._import_parent = parent
        try:
            org.full_clean(exclude=["path", "depth", "numchild"] + (["kind"] if kind is None else []),
                           validate_unique=False)
        except ValidationError as exc:
            for column, message in model_errors(exc, FIELD_COLUMNS):
                add_error(errors, column or NAME, message)
        if new and parent is not None and kind is not None:
            if not may_hold(parent.kind, kind):
                add_error(errors, KIND, _("%(parent)s（%(parent_kind)s）之下不能设立%(kind)s。") % {
                    "parent": parent.name, "parent_kind": parent.get_kind_display(), "kind": org.get_kind_display()})

    def do_instance_save(self, org, is_create):
        if is_create:
            saved = services.organization_add(acting_user=self.user, parent=org._import_parent, kind=org.kind,
                                              name=org.name, code=org.code, division_code=org.division_code)
            org.pk, org.path = saved.pk, saved.path
        else:
            org._history_user = self.user
            org._change_reason = _("导入党组织")
            org.save()
