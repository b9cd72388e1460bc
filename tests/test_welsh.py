"""Cymraeg: the Welsh catalogue is complete and compiled, every code has a Welsh label, and the
main pages in Welsh carry none of the English the catalogue and the code lists translate.

When a test here fails after new strings were added, refresh and translate the catalogue:
  python manage.py makemessages -l cy --no-obsolete   (then translate the new entries, using
  docs/welsh-glossary.md, and run: python manage.py compilemessages -l cy)
"""

import ast
import gettext
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from alongside.codes.loader import read_codelists
from alongside.codes.models import Code

from .conftest import signed_in

CATALOGUE = Path(__file__).resolve().parent.parent / "alongside" / "locale" / "cy" / "LC_MESSAGES"
PO, MO = CATALOGUE / "django.po", CATALOGUE / "django.mo"
# One n for each of the catalogue's six plural forms, CLDR's Welsh categories: zero, one, two,
# few (3), many (6), other.
N_FOR_FORM = (0, 1, 2, 3, 6, 8)


def read_po(path: Path = PO) -> list[dict]:
    """The entries of a .po file (header and obsolete entries left out), with the standard
    library only: each has msgctxt, msgid, msgid_plural, msgstr ({index: text}) and flags."""
    entries, entry, field = [], None, None

    def close():
        if entry and entry["msgid"]:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            close()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set(),
                     "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        text = ast.literal_eval(m.group(3) if m else line)
        if m:
            field = (m.group(1), int(m.group(2) or 0))
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] = text
            else:
                entry[field[0]] = text
        elif field[0] == "msgstr":
            entry["msgstr"][field[1]] += text
        else:
            entry[field[0]] += text
    return [e for e in entries if not e["obsolete"]]


def _header(path: Path = PO) -> str:
    return path.read_text(encoding="utf-8").split("\n\n", 1)[0]


def test_the_catalogue_has_the_welsh_plural_forms():
    # Welsh has six plural categories (Unicode CLDR): 0, 1, 2, 3, 6 and every other number each
    # take their own form ("0 o bobl", "1 person", "2 berson", "3 pherson", "6 pherson",
    # "8 o bobl"). Django's own Welsh catalogue keeps its four; Django reads each catalogue
    # with its own plural rule.
    assert ('"Plural-Forms: nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : "\n'
            '"(n==3) ? 3 : (n==6) ? 4 : 5;\\n"') in _header()


def test_counts_take_the_welsh_plural_form_for_their_number_on_a_page():
    """Through Django, beside its own four-form Welsh catalogue: the soft mutation after 2, the
    aspirate after 3 and 6, "o" and the plural noun after the others."""
    from django.utils import translation
    from django.utils.translation import ngettext

    expected = {0: "0 o bobl", 1: "1 person", 2: "2 berson", 3: "3 pherson", 6: "6 pherson",
                8: "8 o bobl", 11: "11 o bobl", 21: "21 o bobl"}
    with translation.override("cy"):
        got = {n: ngettext("%(n)s person", "%(n)s people", n) % {"n": n} for n in expected}
        # Django's own Welsh strings still follow their own four-form rule (under ours, 2 would
        # pick its third form, "%d munud").
        django_own = ngettext("%d minute", "%d minutes", 2) % 2
    assert got == expected
    assert django_own == "2 funud"


def test_every_string_in_the_welsh_catalogue_is_translated():
    entries = read_po()
    assert len(entries) > 700  # the parser read the catalogue, not an empty file
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries
                    if len(e["msgstr"]) != (6 if e["msgid_plural"] else 1) or not all(e["msgstr"].values())]
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {PO.name} (check and remove the flag): {fuzzy[:10]}"
    assert not untranslated, f"{len(untranslated)} untranslated in {PO.name}: {untranslated[:10]}"


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|%%|</?\w+>", text))


def test_every_translation_keeps_the_placeholders_and_markup():
    wrong = [(e["msgid"], s) for e in read_po() for s in e["msgstr"].values()
             if _placeholders(s) != _placeholders(e["msgid"])]
    assert not wrong


def test_the_compiled_catalogue_says_what_the_po_says():
    """The committed .mo answers every entry of the .po as the .po does (read through the
    standard library's gettext, so any msgfmt version compiles it the same)."""
    with open(MO, "rb") as f:
        mo = gettext.GNUTranslations(f)
    stale = []
    for e in read_po():
        ctx, msgid = e["msgctxt"], e["msgid"]
        if e["msgid_plural"]:
            for form, n in enumerate(N_FOR_FORM):
                got = (mo.npgettext(ctx, msgid, e["msgid_plural"], n) if ctx
                       else mo.ngettext(msgid, e["msgid_plural"], n))
                if got != e["msgstr"][form]:
                    stale.append(msgid)
        elif (mo.pgettext(ctx, msgid) if ctx else mo.gettext(msgid)) != e["msgstr"][0]:
            stale.append(msgid)
    assert not stale, f"{MO.name} is older than {PO.name}: run compilemessages -l cy ({stale[:5]})"


def test_every_code_in_the_code_lists_has_a_welsh_label():
    missing = [f"{name}/{row['code']}" for name, spec in read_codelists()["lists"].items()
               for row in spec["codes"] if not str(row.get("label_cy", "")).strip()]
    assert not missing


@pytest.mark.django_db
def test_the_loaded_codes_carry_their_welsh_labels_and_show_them_on_a_welsh_page():
    assert not Code.objects.filter(label_cy="").exists()
    a1 = Code.objects.get(list="activity", code="A1")
    with translation.override("cy"):
        assert str(a1) == "Gwaith un i un (cerdded ochr yn ochr)"
    with translation.override("en"):
        assert str(a1) == "One-to-one work (walking alongside)"


def test_july_is_spelt_gorffennaf():
    # Django's own Welsh catalogue has "Gorffenaf"; Alongside's catalogue spells it over.
    with translation.override("cy"):
        html = Template('{{ d|date:"F" }} / {{ d|date:"j E Y" }}').render(Context({"d": date(2025, 7, 1)}))
    assert html == "Gorffennaf / 1 Gorffennaf 2025"


# --- the pages ----------------------------------------------------------------------------------

class _Text(HTMLParser):
    """Every piece of text a person reads or hears on a page: text between tags, and the
    attributes screen readers announce or the browser shows."""

    SPOKEN = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.pieces, self._skip = [], 0
        # Inside an element marked lang="en" (English shown on purpose, such as a code's English
        # label beside its Welsh one): its tag and how deep in itself we are.
        self._english: tuple[str, int] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if self._english and tag == self._english[0]:
            self._english = (tag, self._english[1] + 1)
        elif self._english is None and ("lang", "en") in attrs:
            self._english = (tag, 1)
        if self._english is None:
            self.pieces += [v for k, v in attrs if k in self.SPOKEN and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if self._english and tag == self._english[0]:
            self._english = (tag, self._english[1] - 1) if self._english[1] > 1 else None

    def handle_data(self, data):
        if not self._skip and self._english is None and data.strip():
            self.pieces.append(data)


def _pieces(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [" ".join(p.split()) for p in parser.pieces]


def english_left(html: str, english: set[str]) -> list[str]:
    """English strings of the catalogue or the code lists found in a Welsh page: a piece of text
    that is one of them, or that holds a long one (long enough not to be a Welsh word too)."""
    pieces = _pieces(html)
    whole = set(pieces)
    text = " | ".join(pieces)
    return sorted(s for s in english if s in whole or (len(s) >= 25 and s in text))


def _english() -> set[str]:
    """What must not appear on a Welsh page: every English msgid without placeholders whose
    translation differs from it (so "Ward" or "System", the same in both, are left out), and
    every code label whose Welsh label differs."""
    found = {e["msgid"] for e in read_po()
             if not e["msgid_plural"] and e["msgid"] != e["msgstr"][0] and "%" not in e["msgid"]
             and "<" not in e["msgid"] and e["msgid"].strip() and "English" not in e["msgid"]}
    found |= {row["label"] for spec in read_codelists()["lists"].values() for row in spec["codes"]
              if row["label"] != row.get("label_cy")}
    return {" ".join(s.split()) for s in found}


def test_the_check_finds_english_left_on_a_page():
    english = {"Your people", "Record an introduction that came in today", "Ward"}
    page = ('<h1>Eich pobl</h1><p title="Your people">Cyflwyniad. Record an introduction that came '
            'in today, please.</p><script>var t = "Ward";</script>')
    assert english_left(page, english) == ["Record an introduction that came in today", "Your people"]


def _welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


COORDINATOR_PAGES = ["/caseload/", "/people/P-AAAAAAA/", "/introductions/new/", "/community/",
                     "/people/P-AAAAAAA/record/activity/", "/people/P-AAAAAAA/conversation/",
                     "/people/P-AAAAAAA/close/", "/stories/"]
MANAGER_PAGES = ["/overview/", "/quality/", "/evidence/", "/evidence/funnel/", "/audit/", "/sites/"]


@pytest.mark.parametrize(("who", "url"), [("coordinator_a", u) for u in COORDINATOR_PAGES]
                         + [("manager", u) for u in MANAGER_PAGES])
def test_a_welsh_page_has_no_english_the_catalogue_translates(world, login, who, url):
    client = _welsh(login(getattr(world, who)))
    r = client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="cy"' in html
    assert english_left(html, _english()) == []


def test_the_language_switch_names_each_language_in_itself(world, login):
    for language in ("en", "cy"):
        client = login(world.coordinator_a)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/caseload/").content.decode()
        assert re.search(r'lang="en"[^>]*>English<', html), language
        assert re.search(r'lang="cy"[^>]*>Cymraeg<', html), language
        assert "Saesneg" not in html


# --- every page of the route matrix, word by word ----------------------------------------------

WORD = re.compile(r"[A-Za-zÀ-ÿŵŷŴŶ’']{3,}")
# Names that are the same in both languages: the product, file formats, standards and bodies.
PROPER_NOUNS = {"alongside", "csv", "xlsx", "yaml", "json", "pdf", "parquet", "excel", "api",
                "ons", "qca", "sroi", "nhs", "gov", "uk", "www", "https", "http", "html",
                "totp", "ncsc", "gdpr", "dhsc", "python", "django", "lac", "cydlynu",
                "english"}  # the language switch names English in English


def _words(texts) -> set[str]:
    return {w.lower().strip("’'") for t in texts for w in WORD.findall(t or "")}


def _english_only_words() -> set[str]:
    """Words of the English interface (the catalogue's msgids and the code lists' labels) that
    its Welsh never uses: finding one on a Welsh page is English left behind."""
    entries = read_po()
    markup = re.compile(r"%\(\w+\)[sd]|<[^>]+>|\{[^}]*\}")
    english = _words(markup.sub(" ", e["msgid"] + " " + (e["msgid_plural"] or "")) for e in entries)
    welsh = _words(s for e in entries for s in e["msgstr"].values())
    lists = read_codelists()["lists"].values()
    english |= _words(row["label"] for spec in lists for row in spec["codes"])
    welsh |= _words(row.get("label_cy", "") for spec in lists for row in spec["codes"])
    return english - welsh - PROPER_NOUNS


def _typed_words() -> set[str]:
    """Every word people typed into the records (names, notes, groups, stories): free text stays
    as typed, in whatever language it was written."""
    from django.apps import apps
    from django.db import models as m

    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"people", "journeys", "community", "places", "accounts",
                                         "logic_models", "reports"}:
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, m.CharField | m.TextField) and not f.choices]
        for row in model.objects.values_list(*fields) if fields else ():
            found |= _words(str(v) for v in row if v)
    return found


def test_the_word_check_finds_an_english_word_and_passes_typed_text():
    english = _english_only_words()
    assert {"caseload", "introduction", "save"} <= english
    assert not {"cyflwyniad", "cadw"} & english
    page = "<h1>Eich pobl</h1><p>Cofnodi cyflwyniad</p><button>Save</button><td>Knit and Natter</td>"
    assert _english_words_on(page, english, typed={"knit", "and", "natter"}) == ["save: Save"]


def _english_words_on(html: str, english: set[str], typed: set[str]) -> list[str]:
    flagged = []
    for piece in _pieces(html):
        if piece.startswith("/"):  # a path the audit trail records
            continue
        for w in WORD.findall(piece):
            word = w.lower().strip("’'")
            if word in english and word not in typed:
                flagged.append(f"{word}: {piece[:80]}")
    return sorted(set(flagged))


def test_no_page_of_the_route_matrix_has_an_english_word_in_welsh(world, client):
    """Every route, as a Coordinator, a manager, an analyst and an administrator, in Welsh: no
    word of the English interface that its Welsh does not also use, outside what people typed."""
    from .test_route_matrix import _target, app_routes, url_for

    english = _english_only_words()
    target = _target(world, world.person_a, world.group_a)
    typed = _typed_words()
    found, pages = {}, 0
    for user in (world.coordinator_a, world.manager, world.commissioner, world.analyst, world.admin):
        signed_in(client, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
        for name, params in app_routes():
            # A stored report is a document in the language it was asked for, not the page's.
            if name in ("logout", "report_html"):
                continue
            # Every period, so that the pages show the world's records, not "none yet".
            r = client.get(url_for(name, params, target) + "?period=all")
            if r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
                continue
            pages += 1
            html = r.content.decode()
            assert '<html lang="cy"' in html, name
            for hit in _english_words_on(html, english, typed):
                found.setdefault(hit, set()).add(f"{name} ({user.role})")
        client.logout()
    assert pages > 60
    assert not found, f"{len(found)} English words on Welsh pages: " + "; ".join(
        f"{w} [{', '.join(sorted(where))}]" for w, where in sorted(found.items())[:60])


def test_every_field_of_a_record_about_a_person_has_a_name_in_both_languages():
    """The subject access page names each field from people/held_labels.py, where the catalogue
    finds it; a field added to a record about a person without a name there fails here."""
    from alongside.people import held_labels
    from alongside.people.models import Person
    from alongside.people.privacy import linked_records

    models = [Person] + [qs.model for _, qs in linked_records(Person(pk=1))]
    missing = [f"{m._meta.label}.{f.name}" for m in models
               for f in [*m._meta.concrete_fields, *m._meta.many_to_many]
               if f.name != "id" and f.name not in held_labels.FIELDS]
    assert not missing
    assert not [m._meta.label for m in models if m._meta.label not in held_labels.RECORDS]


def test_every_title_and_label_of_the_minimum_dataset_is_in_the_catalogue():
    from alongside.dataset.spec import dataset_spec
    from alongside.dataset.spec_words import WORDS

    named = {str(w) for w in WORDS}
    spec = dataset_spec()
    words = {r.title for r in spec.records.values()} | {
        f.label for r in spec.records.values() for f in r.fields}
    assert words - named == set()
    with translation.override("cy"):
        assert translation.gettext("Date of introduction") != "Date of introduction"


def test_the_measures_and_the_unit_costs_carry_their_own_welsh():
    """The words that come from data files rather than the catalogue: each measure's name,
    questions, answers and scale, and each unit cost's service and unit."""
    from alongside.evidence.distance.scoring import measures
    from alongside.evidence.economics.unit_costs import load_unit_costs

    for key, en in measures("en").items():
        cy = measures("cy")[key]
        assert cy.name != en.name and cy.source != en.source, key
        for a, b in zip(en.items, cy.items, strict=True):
            assert b.label != a.label and b.wording != a.wording, f"{key}.{a.key}"
            assert [v for v, _ in b.options] == [v for v, _ in a.options]
            assert all(x != y for (_, x), (_, y) in zip(a.options, b.options, strict=True)), a.key
        assert cy.scale_labels == ("", "") or cy.scale_labels != en.scale_labels
    missing = [k for k, uc in load_unit_costs().items() if not (uc.item_cy and uc.unit_cy and uc.units_cy)]
    assert not missing


def test_a_welsh_first_council_opens_in_welsh_until_someone_switches(world, login):
    from django.core.cache import cache

    from alongside.places.models import Council

    Council.objects.filter(pk=world.north.pk).update(first_language="cy")
    cache.clear()
    client = login(world.coordinator_a)
    assert '<html lang="cy"' in client.get("/caseload/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in client.get("/caseload/").content.decode()
    other = login(world.coordinator_c)  # Glasmoor keeps English first
    other.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert '<html lang="en"' in other.get("/caseload/").content.decode()


def test_a_story_says_which_language_it_was_written_in_and_keeps_it(world, login):
    from alongside.journeys.models import Story

    client = login(world.coordinator_a)
    r = client.post(f"/stories/new/?person={world.person_a.reference}", {
        "title": "Gardd Aled", "written_on": "2025-07-01",
        "before": "Roedd Aled ar ei ben ei hun.", "what_happened": "Ymunodd â’r clwb garddio.",
        "what_changed": "Mae ganddo ffrindiau newydd.", "written_in": "cy"})
    story = Story.objects.get(title="Gardd Aled")
    assert r.status_code == 302 and story.written_in == "cy"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/stories/{story.pk}/").content.decode()
    # An English page shows the Welsh story as typed, marked as Welsh for screen readers.
    assert re.search(r'lang="cy"[^>]*>\s*(<[^>]+>\s*)*Roedd Aled ar ei ben ei hun\.', html)


def test_english_marked_as_english_is_not_counted_on_a_welsh_page():
    english = {"lunch", "club", "save"}
    page = '<td lang="en">Lunch <b>club</b></td><td lang="cy">Clwb cinio</td><button>Save</button>'
    assert _english_words_on(page, english, typed=set()) == ["save: Save"]
