from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.services import ROLES_GRANTED_BY_ADMINS
from organizations.choices import OrganizationKind
from organizations.models import Organization
from places.forms import PICKER_HELP, CountryField, DivisionField, show_current_divisions


def _open_in_subtree(user):
    return Organization.objects.visible_to(user).open().order_by("path")


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organization shown with its code, as names repeat across towns (every town has a 东村)."""

    def label_from_instance(self, org):
        return f"{org.name}（{org.code}）"


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(label=_("组织代码"), max_length=32)
    division_code = forms.CharField(label=_("行政区划代码"), max_length=12, required=False,
                                    help_text=_("6位、9位或12位数字，例如 220524"))
    secretary_name = forms.CharField(label=_("书记姓名"), max_length=50, required=False)
    secretary_phone = forms.CharField(label=_("书记联系电话"), max_length=11, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)


class OrganizationAddForm(OrganizationForm):
    parent = OrganizationChoiceField(label=_("上级党组织"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=[
        (v, label) for v, label in OrganizationKind.choices if v != OrganizationKind.COUNTY_COMMITTEE])
    field_order = ["parent", "kind", "name", "code"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _open_in_subtree(user)


class MoveForm(forms.Form):
    new_parent = OrganizationChoiceField(label=_("移到哪个党组织之下"), queryset=Organization.objects.none())

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = _open_in_subtree(user).exclude(path__startswith=organization.path)


class MergeForm(forms.Form):
    target = OrganizationChoiceField(label=_("并入哪个党组织"), queryset=Organization.objects.none(),
                                     help_text=_("本组织的全部党员转入该党组织，本组织随后撤销，历史记录保留"))

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Organization.objects.visible_to(user).member_holding().exclude(
            pk=organization.pk).order_by("path")


class ConfirmForm(forms.Form):
    """A POST that only confirms (closing a branch, resetting a password, disabling a login)."""


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    phone = forms.CharField(label=_("手机号码"), max_length=11, required=False)
    organization = OrganizationChoiceField(label=_("所属党组织"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=ROLES_GRANTED_BY_ADMINS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _open_in_subtree(user)


class AccountCreateForm(AccountForm):
    username = forms.CharField(label=_("账号"), max_length=150, help_text=_("登录时填写，可用手机号码"))
    field_order = ["username", "full_name", "phone", "organization", "role"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class PlaceFixForm(forms.Form):
    division = DivisionField(label=_("所在地（省、市、区县）"), required=False, help_text=PICKER_HELP)
    country = CountryField(label=_("出国（境）国家（地区）"), required=False)
    city = forms.CharField(label=_("国外城市"), max_length=30, required=False, help_text=_("出国（境）时填写"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_current_divisions(self)
