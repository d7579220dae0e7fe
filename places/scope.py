"""Where a destination lies seen from home: derived from two codes, never typed."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.names import city_key, province_key


class Scope(models.TextChoices):
    CROSS_PROVINCE = "cross_province", _("跨省")
    CROSS_CITY = "cross_city", _("省内跨市")
    WITHIN_CITY = "within_city", _("市内")
    ABROAD = "abroad", _("出国（境）")


def scope_of(*, home_code: str, destination_code: str = "", country_code: str = "") -> Scope | None:
    """The scope of a destination for a home organization's division code (``None``: not known).

    Abroad whenever a country is given. A province alone (``吉林省``) is cross-province
    when it is another province, and not known within the home province (which city?).
    """
    if country_code:
        return Scope.ABROAD
    if not home_code or not destination_code:
        return None
    if province_key(destination_code) != province_key(home_code):
        return Scope.CROSS_PROVINCE
    destination_city = city_key(destination_code)
    if not destination_city or not city_key(home_code):
        return None
    return Scope.WITHIN_CITY if destination_city == city_key(home_code) else Scope.CROSS_CITY
