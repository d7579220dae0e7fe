"""Register the approved outflow of every member marked away without one (``transfers.migrated``).

An installation that imported its rosters before the statistics counted only
approved registrations would otherwise show no mobile members. Dated today,
so quarters already ended keep their figures. Cards are read when the card
app's table is in the state (an installation that has it migrated); the
card app sits above this one, so this migration does not depend on it.
"""
from django.db import migrations
from django.utils import timezone


def register(apps, schema_editor):
    from transfers.migrated import Models, register_migrated_outflows

    models = Models(apps.get_model("members", "Member"), apps.get_model("transfers", "Outflow"),
                    apps.get_model("transfers", "OutflowStep"))
    try:
        cards = apps.get_model("activity_cards", "ActivityCard")
    except LookupError:
        card_holders = []
    else:
        card_holders = [cards.objects.filter(status="valid").values("member_id")]
    register_migrated_outflows(models.Member.objects.all(), on=timezone.localdate(), models=models,
                               card_holders=card_holders)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0026_places_as_codes"),
        ("transfers", "0008_places_as_codes"),
    ]

    operations = [
        migrations.RunPython(register, migrations.RunPython.noop),
    ]
