"""Build transfers data through the real services."""
from datetime import date

from places.parser import parse_place
from transfers.choices import Purpose
from transfers.services import outflow_register


def outflow_fields(**overrides):
    fields = dict(
        talk_date=date(2026, 11, 1), talk_by="王支书", talk_notes="讲明外出期间的义务",
        departure_date=date(2026, 11, 10), expected_months=8, purpose=Purpose.WORK, fixed_place=True,
        can_transfer=True, returns_often=False, destination_province="上海市", destination_city="上海市",
        destination_address="上海市浦东新区人民路1号", host_unit="上海某建设集团", unit_has_party_org=True,
        occupation="建筑工人", trade="construction", phone="13812345678",
        receiving_organization_name="上海某建设集团党委",
    )
    fields.update(overrides)
    if not {"destination_division", "abroad_country", "destination_division_id", "abroad_country_id"} & fields.keys():
        # The form sends codes: read the text the way the roster import does (places.parser).
        text = "".join(fields.get(name, "") for name in ("destination_country", "destination_province",
                                                         "destination_city"))
        place = parse_place(text)
        if place.precise:
            fields["destination_division_id"] = place.division_code or None
            fields["abroad_country_id"] = place.country_code or None
    return fields


def register(member, user, **overrides):
    return outflow_register(member=member, acting_user=user, **outflow_fields(**overrides))
