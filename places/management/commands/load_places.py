from django.core.management.base import BaseCommand

from places.loader import load_places
from places.models import Country, Division, TableEdition


class Command(BaseCommand):
    help = "Load (or update to) the division and country tables kept in places/data/ (the migration does this too)."

    def handle(self, *args, **options):
        load_places(Division, Country, TableEdition)
        for edition in TableEdition.objects.order_by("table"):
            self.stdout.write(f"{edition.table}: {edition.rows} rows, {edition.source} {edition.version}, "
                              f"{edition.edition}, generated {edition.generated}")
