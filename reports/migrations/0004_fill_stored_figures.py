"""Fill the stored figures of an existing installation (the current and previous quarter, the dashboard)."""
import io

from django.core.management import call_command
from django.db import migrations


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        call_command("refresh_figures", "--rebuild", stdout=io.StringIO())


class Migration(migrations.Migration):

    dependencies = [("reports", "0003_figure_generation_triggers")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
