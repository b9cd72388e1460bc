"""alongside quality --council NAME [--by coordinator|ward|month] [--since YYYY-MM-DD] [--json]"""


import json
from datetime import date

from django.core.management.base import BaseCommand

from alongside.dataset.quality import GROUPS, quality
from alongside.places.lookup import council_named
from alongside.places.models import Ward


def pct(v):
    return "   —" if v is None else f"{v:5.1f}%"


class Command(BaseCommand):
    help = "Completeness of the minimum dataset: mandatory fields first, unknown kept apart from missing."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="one council (default: every council)")
        parser.add_argument("--by", choices=[g for g in GROUPS if g != "council"], help="break down by")
        parser.add_argument("--since", type=date.fromisoformat, help="records from this date (YYYY-MM-DD)")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, council, by, since, as_json: bool, **options):
        wards = Ward.objects.all()
        if council:
            wards = wards.filter(council=council_named(council))
        groups = ("council",) + ((by,) if by else ())
        result = quality(wards, groups, since)
        if as_json:
            self.stdout.write(json.dumps(
                {name: [s.to_dict() for s in scores] for name, scores in result.items()}, indent=2))
            return
        for name, scores in result.items():
            if by:
                record = scores[0].record.title if scores else name
                self.stdout.write(f"\n{record} by {by}")
                self.stdout.write(f"  {'':<44}{'records':>9}{'complete':>10}{'mandatory filled':>18}")
                for s in scores:
                    title = " · ".join(str(g) for g in s.group)[:44]
                    self.stdout.write(f"  {title:<44}{s.records:>9,}{pct(s.complete_percent):>10}"
                                      f"{pct(s.mandatory_percent):>18}")
                continue
            for s in scores:
                self.stdout.write(f"\n{s.record.title} — {s.group[0]}: {s.records:,} records, "
                                  f"{pct(s.complete_percent)} complete, mandatory fields "
                                  f"{pct(s.mandatory_percent)} filled")
                self.stdout.write(f"  {'field':<42}{'recorded':>10}{'not known':>11}{'missing':>9}")
                for f in s.ordered():
                    flag = "*" if f.spec.mandatory else " "
                    self.stdout.write(f" {flag}{f.spec.label[:41]:<41}{pct(f.percent('recorded')):>10}"
                                      f"{pct(f.percent('unknown')):>11}{pct(f.percent('missing')):>9}")
        if not by:
            self.stdout.write("\n* mandatory")
