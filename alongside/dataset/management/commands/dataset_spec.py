from django.core.management.base import BaseCommand, CommandError

from alongside.dataset.spec import DOC, markdown


class Command(BaseCommand):
    help = "Write docs/minimum-dataset.md from the specification and code lists (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the document is out of date")

    def handle(self, *args, check: bool, **options):
        text = markdown()
        if check:
            if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
                raise CommandError(f"{DOC} is out of date: run `alongside dataset_spec`")
            self.stdout.write(f"{DOC} is up to date")
            return
        DOC.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {DOC}")
