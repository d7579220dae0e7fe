"""Photos stored before re-encoding may carry script: re-encode them and give them random names."""
from django.db import migrations


def reencode_photos(apps, schema_editor):
    from activity_cards.photos import stored_photos_reencode

    stored_photos_reencode(apps.get_model("activity_cards", "ActivityCard"))


class Migration(migrations.Migration):

    dependencies = [
        ("activity_cards", "0003_card_check_code"),
    ]

    operations = [
        migrations.RunPython(reencode_photos, migrations.RunPython.noop, elidable=True),
    ]
