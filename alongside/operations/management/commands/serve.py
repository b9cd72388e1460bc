from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Alongside on loopback (for the demo and for trying it out)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        self.stdout.write(f"Alongside is at http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        # --insecure serves the static files without a separate web server.
        call_command("runserver", f"127.0.0.1:{port}", insecure=True, use_reloader=False)
