"""Three synthetic "legacy council" spreadsheets in deliberately different shapes and codings,
with the mapping file that brings each into the minimum dataset (issue 6).

Ashvale keeps a CSV with day-first dates, one "Reason" column with its own abbreviations and
"Sex" as M/F. Brynmor keeps an XLSX workbook with Excel dates, age groups instead of dates of
birth and two issue columns. Calder Vale exports a semicolon-separated file with ISO dates,
lower-case headers and short/long-term support instead of levels. Between a third and a half
of optional cells are blank, as the study found.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import yaml

from . import shape


@dataclass(frozen=True)
class LegacySite:
    slug: str
    council: str
    ons_code: str
    nation: str
    wards: tuple[tuple[str, str, int], ...]  # (their area name, ONS ward code, population)


SITES = (
    LegacySite("ashvale", "Ashvale Council", "E06800001", "england",
               (("Ashvale Town", "E05800101", 9800), ("Millbrook", "E05800102", 8700),
                ("Ashvale Moor", "E05800103", 10400))),
    LegacySite("brynmor", "Brynmor County Borough Council", "W06800002", "wales",
               (("Brynmor Uchaf", "W05800201", 8200), ("Pentre Isaf", "W05800202", 9100))),
    LegacySite("calder", "Calder Vale Council", "E06800003", "england",
               (("Calder North", "E05800301", 9600), ("Calder South", "E05800302", 9900),
                ("Holme Side", "E05800303", 8800), ("Rivington Vale", "E05800304", 9300))),
)

ASHVALE_REASONS = {"MH/anxiety": ["PA3", "PA3.mental_health"], "Isolation": ["PA1", "PA1.loneliness"],
                   "Housing": ["PA4", "PA4.housing"], "Benefits": ["PA2", "PA2.benefits"],
                   "Phys health": ["PA3", "PA3.physical_health"], "Debt": ["PA4", "PA4.debt"],
                   "Bereavement": ["PA1", "PA1.bereavement"]}
ASHVALE_ROUTES = {"GP": "gp", "Self": "self", "ASC": "adult_social_care", "Family": "family_friend",
                  "CMHT": "cmht", "Housing": "council_housing", "Vol sector": "voluntary_sector"}
BRYNMOR_ISSUES = {"Mental health": "PA3.mental_health", "Lonely": "PA1.loneliness",
                  "Money worries": "PA4.debt", "Housing problem": "PA4.housing",
                  "Forms / letters": "PA2.forms", "Mobility": "PA3.physical_health"}
BRYNMOR_SOURCES = {"Doctor": "gp", "Social Services": "adult_social_care", "Themselves": "self",
                   "Neighbour": "neighbour", "Housing Association": "housing_association",
                   "Police": "police"}
BRYNMOR_AGES = {"Under 18": "u18", "18-24 yrs": "18-24", "25-44 yrs": "25-44", "45-64 yrs": "45-64",
                "65-74 yrs": "65-74", "75-84 yrs": "75-84", "85-94 yrs": "85-94", "95+ yrs": "95+",
                "Not known": "unknown"}
CALDER_REASONS = {"mental health": "PA3.mental_health", "social isolation": "PA1.loneliness",
                  "housing": "PA4.housing", "navigating services": "PA2.access",
                  "physical health": "PA3.physical_health", "benefits": "PA2.benefits"}
CALDER_ROUTES = {"gp surgery": "gp", "self referral": "self", "adult social care": "adult_social_care",
                 "community group": "community_group", "hospital": "hospital"}


def _pick(rng, table: dict) -> str:
    keys = list(table)
    return keys[int(rng.integers(len(keys)))]


def _people(rng, n: int, start: date, end: date):
    span = (end - start).days
    for i in range(n):
        introduced = start + timedelta(days=int(rng.integers(span)))
        born = date(int(rng.integers(1930, 2005)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        closed = rng.random() < 0.55
        ended = introduced + timedelta(days=int(rng.integers(30, 400))) if closed else None
        if ended and ended > end:
            ended, closed = None, False
        yield {
            "i": i, "given": shape.GIVEN_NAMES[int(rng.integers(len(shape.GIVEN_NAMES)))],
            "family": shape.FAMILY_NAMES[int(rng.integers(len(shape.FAMILY_NAMES)))],
            "introduced": introduced, "born": born, "closed": closed, "ended": ended,
            "blank": rng.random(8) < 0.35,  # which optional cells this row leaves empty
        }


def write_ashvale(path: Path, n: int, rng, end: date) -> None:
    site = SITES[0]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Client ID", "First name", "Surname", "DOB", "Sex", "Ethnic Origin", "Area",
                    "Referral Date", "Referred By", "Reason", "Support Level", "Closed Date",
                    "Closure Reason"])
        for p in _people(rng, n, date(2023, 4, 1), end):
            reasons = sorted({_pick(rng, ASHVALE_REASONS) for _ in range(int(rng.integers(1, 3)))})
            b = p["blank"]
            w.writerow([
                f"ASH{10000 + p['i']}", p["given"], p["family"],
                "" if b[0] else p["born"].strftime("%d/%m/%Y"),
                "" if b[1] else ("F" if rng.random() < 0.6 else "M"),
                "" if b[2] else ("White British" if rng.random() < 0.8 else "Asian Pakistani"),
                site.wards[int(rng.integers(len(site.wards)))][0],
                p["introduced"].strftime("%d/%m/%Y"), _pick(rng, ASHVALE_ROUTES), "; ".join(reasons),
                "L2" if rng.random() < 0.6 else "L1",
                p["ended"].strftime("%d/%m/%Y") if p["ended"] else "",
                ("" if b[3] else ("Goals met" if rng.random() < 0.7 else "No contact")) if p["ended"] else "",
            ])


def write_brynmor(path: Path, n: int, rng, end: date) -> None:
    from openpyxl import Workbook

    site = SITES[1]
    wb = Workbook()
    ws = wb.active
    ws.title = "Introductions"
    ws.append(["Person Ref", "Forename", "Family Name", "Age Group", "Gender", "Area",
               "Date of Introduction", "Source", "Issue 1", "Issue 2", "Level", "Active?", "Finished"])
    for p in _people(rng, n, date(2024, 1, 1), end):
        b = p["blank"]
        issue2 = "" if b[4] else _pick(rng, BRYNMOR_ISSUES)
        ws.append([
            f"BM-{p['i']:05d}", p["given"], p["family"],
            "Not known" if b[0] and rng.random() < 0.3 else ("" if b[0] else _pick(rng, BRYNMOR_AGES)),
            "" if b[1] else ("Female" if rng.random() < 0.6 else "Male"),
            site.wards[int(rng.integers(len(site.wards)))][0],
            p["introduced"], _pick(rng, BRYNMOR_SOURCES), _pick(rng, BRYNMOR_ISSUES), issue2,
            "Level 2" if rng.random() < 0.55 else "Level 1",
            "No" if p["closed"] else "Yes", p["ended"],
        ])
    wb.save(path)


def write_calder(path: Path, n: int, rng, end: date) -> None:
    site = SITES[2]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ref", "first_name", "last_name", "date_of_birth", "gender", "ward", "date_in",
                    "how_referred", "main_reason", "support", "status", "date_closed", "why_closed"])
        for p in _people(rng, n, date(2022, 10, 1), end):
            b = p["blank"]
            w.writerow([
                f"cv{p['i']}", p["given"], p["family"], "" if b[0] else p["born"].isoformat(),
                "" if b[1] else ("female" if rng.random() < 0.6 else "male"),
                site.wards[int(rng.integers(len(site.wards)))][0].lower(), p["introduced"].isoformat(),
                _pick(rng, CALDER_ROUTES), _pick(rng, CALDER_REASONS),
                "long term" if rng.random() < 0.5 else "short term",
                "closed" if p["closed"] else "open", p["ended"].isoformat() if p["ended"] else "",
                ("" if b[3] else ("moved away" if rng.random() < 0.2 else "plan achieved"))
                if p["ended"] else "",
            ])


MAPPINGS = {
    "ashvale": {
        "council": "Ashvale Council", "system": "ashvale-referrals-spreadsheet", "key": "Client ID",
        "date_format": "%d/%m/%Y",
        "columns": {"given_name": "First name", "family_name": "Surname", "birth_date": "DOB",
                    "gender": "Sex", "ethnicity": "Ethnic Origin", "ward": "Area",
                    "introduced_on": "Referral Date", "route": "Referred By", "reasons": "Reason",
                    "level": "Support Level", "ended_on": "Closed Date", "exit_outcome": "Closure Reason"},
        "values": {"ward": {n: c for n, c, _ in SITES[0].wards}, "route": ASHVALE_ROUTES,
                   "reasons": ASHVALE_REASONS, "ethnicity": {"White British": "W1", "Asian Pakistani": "A3"},
                   "exit_outcome": {"Goals met": "planned_close", "No contact": "ceased_contact"}},
        "defaults": {"exit_point": "planned_ending"},
    },
    "brynmor": {
        "council": "Brynmor County Borough Council", "system": "brynmor-lac-workbook", "key": "Person Ref",
        "sheet": "Introductions",
        "columns": {"given_name": "Forename", "family_name": "Family Name", "age_band": "Age Group",
                    "gender": "Gender", "ward": "Area", "introduced_on": "Date of Introduction",
                    "route": "Source", "reasons": ["Issue 1", "Issue 2"], "level": "Level",
                    "status": "Active?", "ended_on": "Finished"},
        "values": {"ward": {n: c for n, c, _ in SITES[1].wards}, "age_band": BRYNMOR_AGES,
                   "gender": {"Female": "F", "Male": "M"}, "route": BRYNMOR_SOURCES,
                   "reasons": BRYNMOR_ISSUES, "level": {"Level 1": "L1", "Level 2": "L2"},
                   "status": {"Yes": "active", "No": "closed"}},
    },
    "calder": {
        "council": "Calder Vale Council", "system": "calder-vale-export", "key": "ref",
        "date_format": "%Y-%m-%d",
        "columns": {"given_name": "first_name", "family_name": "last_name", "birth_date": "date_of_birth",
                    "gender": "gender", "ward": "ward", "introduced_on": "date_in", "route": "how_referred",
                    "reasons": "main_reason", "level": "support", "status": "status",
                    "ended_on": "date_closed", "exit_outcome": "why_closed"},
        "values": {"ward": {n.lower(): c for n, c, _ in SITES[2].wards},
                   "gender": {"female": "F", "male": "M"},
                   "route": CALDER_ROUTES, "reasons": CALDER_REASONS,
                   "level": {"long term": "L2", "short term": "L1"},
                   "status": {"open": "active", "closed": "closed"},
                   "exit_outcome": {"moved away": "moved_away", "plan achieved": "planned_close"}},
        "defaults": {"exit_point": "planned_ending", "consent": "not_asked", "lawful_basis": "6.1.e"},
    },
}
WRITERS = {"ashvale": (write_ashvale, "csv"), "brynmor": (write_brynmor, "xlsx"),
           "calder": (write_calder, "csv")}


def write_all(out: Path, rows: int = 400, seed: int = 1,
              end: date = shape.DATA_END) -> list[tuple[Path, Path]]:
    """Write the three spreadsheets and their mappings; returns (spreadsheet, mapping) pairs."""
    out.mkdir(parents=True, exist_ok=True)
    pairs = []
    for k, site in enumerate(SITES):
        rng = np.random.default_rng(seed * 100 + k)
        writer, ext = WRITERS[site.slug]
        sheet = out / f"{site.slug}.{ext}"
        writer(sheet, rows, rng, end)
        mapping = out / f"{site.slug}.mapping.yaml"
        mapping.write_text(yaml.safe_dump(MAPPINGS[site.slug], sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
        pairs.append((sheet, mapping))
    return pairs
