from django.core.management.base import BaseCommand

from alongside.codes.loader import CODELISTS, load_codelists, read_codelists
from alongside.codes.models import Code


class Command(BaseCommand):
    help = "Load the minimum-dataset code lists from their versioned data file."

    def handle(self, *args, **options):
        n = load_codelists(Code)
        version = read_codelists()["version"]
        self.stdout.write(f"Loaded {n} codes, version {version}, from {CODELISTS}")
