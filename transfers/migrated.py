"""Outflow registrations for members who arrived already away (由名册导入的外出党员).

Statistics count a member away only through an approved outflow
(``transfers.mobile_members``). A county that onboards its paper roster
imports its members marked 外出 with no registration in the system; so do the
demo data and installations that imported rosters before this rule. For
each of them this writes the registration the paper roster stands for: one
approved outflow and its approval step, both dated the moment it is written,
so that quarters already ended do not move (the figure is as of the
registration's own dates), with the note 由名册导入，按原登记视为已审批.

Set-based: two ``INSERT … SELECT`` statements whatever the number of
members; idempotent (a member with an open outflow gets none). The same
function runs in the data migration with the historical models (``models``).

No step signal is sent and no document is numbered: the registration is the
record of a decision taken on paper, not a new one for anybody to act on.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import BooleanField, Case, CharField, DateField, Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models import Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.choices import REGISTRY_STATUSES, MobilityStatus
from transfers.choices import OPEN_OUTFLOW_STATUSES, Handling, OutflowStatus, Purpose, StepAction

MIGRATED_NOTE = "由名册导入，按原登记视为已审批"
#: A roster lists as 外出 its mobile members, away 6 months or more by definition, unless it says how long.
DEFAULT_EXPECTED_MONTHS = 6
LETTER_VALID_DAYS = 30

#: Subqueries of the ids of members holding a valid activity card, registered by the app that issues cards
#: (``activity_cards`` sits above ``transfers``, which must not import it).
_card_holder_sources: list[Callable[[], QuerySet]] = []


def register_card_holders(source: Callable[[], QuerySet]) -> None:
    if source not in _card_holder_sources:
        _card_holder_sources.append(source)


@dataclass(frozen=True)
class Models:
    """The models the SQL is built from: the current ones, or a migration's historical ones."""

    Member: type
    Outflow: type
    OutflowStep: type


def _current_models() -> Models:
    from members.models import Member
    from transfers.models import Outflow, OutflowStep

    return Models(Member, Outflow, OutflowStep)


def _handling(card_holders: list[QuerySet]) -> Case:
    """Abroad first (a card is never issued abroad), then a card held, else the relationship not yet transferred."""
    whens = [When(~Q(destination_country="") | Q(abroad_country__isnull=False), then=Value(Handling.ABROAD))]
    whens += [When(pk__in=holders, then=Value(Handling.ACTIVITY_CARD)) for holders in card_holders]
    return Case(*whens, default=Value(Handling.TRANSFER), output_field=CharField())


def _insert_select(model, queryset: QuerySet, columns: dict, conflict: bool = False) -> int:
    """``INSERT INTO model (columns) SELECT …`` with the annotations named like the columns, in their order."""
    names = list(columns)
    aliased = {f"v_{name}": expression for name, expression in columns.items()}
    select = queryset.order_by().annotate(**aliased).values_list(*aliased)
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    target = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({target}) {sql}"
    if conflict:
        statement += " ON CONFLICT DO NOTHING"  # another request registered the member meanwhile: keep theirs
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def register_migrated_outflows(members: QuerySet, *, acting_user=None, on: date | None = None,
                               models: Models | None = None, card_holders: list[QuerySet] | None = None,
                               now: datetime | None = None) -> int:
    """Register an approved outflow for each member of ``members`` marked away without an open one.

    ``acting_user`` is recorded as registrant and approver (by default the
    first superuser, else the first account: the installation's own). Returns
    the number of outflows written.
    """
    models = models or _current_models()
    on = on or timezone.localdate()
    now = now or timezone.now()
    if card_holders is None:
        card_holders = [source() for source in _card_holder_sources]
    actor = acting_user.pk if acting_user is not None else _installation_user(models)
    if actor is None:
        return 0
    actor_organization = acting_user.organization_id if acting_user is not None else None
    open_outflow = models.Outflow.objects.filter(member=OuterRef("pk"), status__in=OPEN_OUTFLOW_STATUSES)
    away = models.Member.objects.filter(pk__in=members.order_by().values("pk")).filter(
        mobility_status=MobilityStatus.OUTFLOW, membership_status__in=REGISTRY_STATUSES).filter(~Exists(open_outflow))
    departure = Coalesce(F("departure_date"), Value(on, output_field=DateField()))
    handling = _handling(card_holders)
    text = lambda value: Value(value, output_field=CharField())  # noqa: E731
    flag = lambda value: Value(value, output_field=BooleanField())  # noqa: E731
    columns = {
        "member": F("pk"), "origin_organization": F("organization_id"), "status": text(OutflowStatus.APPROVED),
        "talk_date": departure, "talk_by": text(""), "talk_notes": text(MIGRATED_NOTE), "departure_date": departure,
        "expected_months": Coalesce(F("expected_months"), Value(DEFAULT_EXPECTED_MONTHS, output_field=IntegerField())),
        "purpose": text(Purpose.OTHER), "fixed_place": flag(True), "can_transfer": flag(False),
        "returns_often": flag(False), "unit_has_party_org": flag(False), "supervising_department": text(""),
        "unit_locality": text(""), "recommended_handling": handling, "recommendation_reason": text(MIGRATED_NOTE),
        "handling": handling, "override_reason": text(""), "receiving_organization": Value(None, IntegerField()),
        "receiving_organization_name": text(""), "letter_valid_days": Value(LETTER_VALID_DAYS, IntegerField()),
        "temporary_branch": Value(None, IntegerField()), "created_by": Value(actor, IntegerField()),
        "created_at": Value(now),
    }
    copied = ("destination_country", "destination_province", "destination_city", "destination_address", "host_unit",
              "destination_unit_kind", "former_occupation", "occupation", "trade", "phone", "other_contact")
    columns.update({name: F(name) for name in copied})
    columns["liaison"] = F("liaison_id")
    columns["destination_division"] = F("destination_division_id")
    columns["abroad_country"] = F("abroad_country_id")
    missing = {f.name for f in models.Outflow._meta.concrete_fields if not f.primary_key} - set(columns)
    if missing:  # a field added later must say what a migrated registration holds
        raise ValueError(f"migrated outflows do not fill {sorted(missing)}")
    written = _insert_select(models.Outflow, away, columns, conflict=True)
    if written:
        stepless = models.OutflowStep.objects.filter(outflow=OuterRef("pk"))
        new = models.Outflow.objects.filter(member__in=members.order_by().values("pk"), created_at=now,
                                            status=OutflowStatus.APPROVED).filter(~Exists(stepless))
        organization = (Value(actor_organization, IntegerField()) if actor_organization is not None
                        else F("origin_organization_id"))
        _insert_select(models.OutflowStep, new, {
            "outflow": F("pk"), "action": text(StepAction.APPROVED), "actor": Value(actor, IntegerField()),
            "organization": organization, "reason": text(MIGRATED_NOTE), "at": Value(now)})
    return written


def _installation_user(models: Models) -> int | None:
    user_model = models.Outflow._meta.get_field("created_by").related_model
    return user_model.objects.order_by("-is_superuser", "pk").values_list("pk", flat=True).first()
