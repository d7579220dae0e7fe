from django.db import migrations


def load(apps, schema_editor):
    from places.loader import load_places

    load_places(apps.get_model("places", "Division"), apps.get_model("places", "Country"),
                apps.get_model("places", "TableEdition"))


class Migration(migrations.Migration):
    """Loads the edition kept in places/data/ (a later edition: a new migration like this one, or load_places)."""

    dependencies = [("places", "0001_divisions_and_countries")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
