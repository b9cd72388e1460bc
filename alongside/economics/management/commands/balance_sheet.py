"""alongside balance_sheet --council NAME --year 2023/24 [--programme FILE] [--costs FILE]
[--csv|--html|--json]"""



import json

from django.core.management.base import BaseCommand, CommandError

from alongside.economics.balance_sheet import balance_sheet, financial_year, record_counts
from alongside.economics.social_return import lac_service_line
from alongside.evidence.economics.model_file import EconomicsError, load_file
from alongside.evidence.economics.money import pounds
from alongside.evidence.economics.programme import read_programme
from alongside.places.lookup import council_named


class Command(BaseCommand):
    help = ("The cost consequence balance sheet of one council's recorded year, with the programme "
            "cost per person from the records. Counts only: no person is named.")

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="council name as in the database")
        parser.add_argument("--year", required=True, help="financial year, e.g. 2023/24")
        parser.add_argument("--programme", help="programme cost YAML (staffing, venues, overheads); "
                                                "its people counts are replaced by the records'")
        parser.add_argument("--costs", help="YAML with a `costs:` list, as in docs/examples/ccf.yaml")
        fmt = parser.add_mutually_exclusive_group()
        fmt.add_argument("--csv", action="store_true")
        fmt.add_argument("--html", action="store_true")
        fmt.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, council, year, programme, costs, csv, html, as_json: bool, **options):
        site = council_named(council)
        try:
            financial_year(year)
            cost_lines = []
            if costs:
                data = load_file(costs)
                cost_lines = data.get("costs") or []
                if not isinstance(cost_lines, list):
                    raise EconomicsError("costs: must be a list", costs)
            per_person = []
            if programme:
                counts = record_counts(site, year)
                data = load_file(programme)
                data.update({k: counts[k] for k in ("people_supported", "level2_people", "ward_residents")})
                pc = read_programme(data, programme)
                if pc.year != year:
                    raise EconomicsError(f"year: the programme cost is for {pc.year} but the balance "
                                         f"sheet is for {year}; give the programme cost of {year}",
                                         programme)
                cost_lines.insert(0, lac_service_line(pc, f"{programme}, {pc.year}"))
                for n, what in ((pc.people_supported, "person supported"),
                                (pc.level2_people, "Level 2 person"), (pc.ward_residents, "ward resident")):
                    v = pc.per(n)
                    per_person.append((what, n, v))
            sheet = balance_sheet(site, year, cost_lines)
        except (EconomicsError, ValueError) as e:
            raise CommandError(str(e)) from None
        if as_json:
            out = sheet.to_dict()
            out["programme_cost_per"] = [{"per": w, "count": n, "amount": None if v is None else str(v)}
                                         for w, n, v in per_person]
            self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
        elif csv:
            self.stdout.write(sheet.to_csv(), ending="")
        elif html:
            self.stdout.write(sheet.to_html())
        else:
            from alongside.evidence.economics.cli import _ccf_text

            self.stdout.write(_ccf_text(sheet))
            for what, n, v in per_person:
                self.stdout.write(f"Programme cost per {what}: {'—' if v is None else pounds(v)} ({n:,})")
