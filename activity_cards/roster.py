"""The roster's "current document" column: activity card, introduction letter or certificate letter.

Registered with ``members.roster_columns`` from ``ActivityCardsConfig.ready()``;
this app is the lowest one that sees both cards and letters.
"""
from django.db.models import Case, CharField, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from activity_cards.models import ActivityCard
from members.roster_columns import CURRENT_DOCUMENT
from transfers.choices import OPEN_OUTFLOW_STATUSES
from transfers.models import CertificateLetter, IntroductionLetter


def annotate_current_document(queryset):
    """One CASE over three subqueries: the export stays a single query."""
    documents = [
        (_("活动证"), ActivityCard.objects.valid().filter(member=OuterRef("pk"))),
        (_("组织关系介绍信"), IntroductionLetter.objects.filter(
            outflow__member=OuterRef("pk"), outflow__status__in=OPEN_OUTFLOW_STATUSES)),
        (_("党员证明信"), CertificateLetter.objects.filter(
            outflow__member=OuterRef("pk"), outflow__status__in=OPEN_OUTFLOW_STATUSES)),
    ]
    whens = [
        When(Exists(documents_qs), then=Concat(Value(f"{label} "), Subquery(documents_qs.values("number")[:1]),
                                               output_field=CharField()))
        for label, documents_qs in documents
    ]
    return queryset.annotate(**{CURRENT_DOCUMENT.key: Case(*whens, default=Value(""), output_field=CharField())})
