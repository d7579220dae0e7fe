from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from places.models import Division
from places.names import city_key


def validate_division_prefix(value: str) -> None:
    """An organization's division code (6, 9 or 12 digits): its first 6 digits must be a province, city or
    county of the loaded table, because the scope of its members' places (cross-province, cross-city …) is
    derived from them; a mistyped code would count every outflow wrong without a word."""
    prefix = (value or "")[:6]
    if len(prefix) == 6 and prefix.isdigit() and not Division.objects.filter(code=prefix).exists():
        raise ValidationError(
            _("行政区划代码 %(code)s 的前6位不是已载入的省、市或区县代码，请核对（例如吉林省汪清县为 222424）。"),
            code="unknown_division", params={"code": value})


def destination_errors(obj, *, division: str = "destination_division", country: str = "abroad_country",
                       legacy_text: tuple[str, ...] = ("destination_country", "destination_province"),
                       required: bool = True) -> dict:
    """Field errors of a place given as codes: a division down to a city at least, or a country, not both.

    A row from before the codes with text no code was found for (``places.unmapped``) is let through: its
    other changes must not wait for the county to fix its place.
    """
    division_code, country_code = getattr(obj, f"{division}_id"), getattr(obj, f"{country}_id")
    if division_code and country_code:
        return {division: _("出国（境）的不选省市，请只选择国家（地区）并填写城市。")}
    if division_code and not city_key(division_code):
        return {division: _("请至少选到市（地、州），例如“浙江省杭州市”。")}
    if required and not division_code and not country_code and not any(getattr(obj, name, "").strip() for name in legacy_text):
        return {division: _("请选择流入地（省、市、区县）；出国（境）的请选择国家（地区）。")}
    return {}
