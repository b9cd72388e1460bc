"""Is this the same person? Names compared as Coordinators misspell and shorten them: close
spellings (Aly for Ali), nicknames (Amy for Amelia), and given and family names swapped.

rapidfuzz does the string comparison (a C++ implementation, MIT-licensed): its token-sort ratio
ignores word order, which covers swapped names, and is fast enough to compare a new name with
every candidate in a ward on each introduction.
"""

from __future__ import annotations

import unicodedata

from rapidfuzz import fuzz

# Common English and Welsh short forms, each to one full form, so that "Amy Ali" and "Amelia
# Ali" compare as the same name. A short form shared by two names ("Al") maps to neither.
NICKNAMES = {
    "amy": "amelia", "millie": "amelia", "mel": "amelia",
    "bob": "robert", "rob": "robert", "bobby": "robert", "robbie": "robert",
    "bill": "william", "will": "william", "billy": "william", "liam": "william",
    "liz": "elizabeth", "beth": "elizabeth", "lizzie": "elizabeth", "betty": "elizabeth",
    "peggy": "margaret", "maggie": "margaret", "meg": "margaret",
    "jim": "james", "jimmy": "james", "jamie": "james",
    "kate": "katherine", "katie": "katherine", "kath": "katherine", "cathy": "catherine",
    "dave": "david", "dai": "david", "dewi": "david",
    "mike": "michael", "mick": "michael",
    "tom": "thomas", "tommy": "thomas", "twm": "thomas",
    "sue": "susan", "suzy": "susan",
    "pat": "patricia", "tricia": "patricia",
    "jen": "jennifer", "jenny": "jennifer",
    "steve": "stephen", "chris": "christopher", "tony": "anthony", "ted": "edward",
    "ed": "edward", "eddie": "edward", "dick": "richard", "rich": "richard",
    "sam": "samuel", "dan": "daniel", "danny": "daniel", "joe": "joseph", "gwen": "gwendolen",
    "nan": "ann", "annie": "ann", "ifan": "ieuan", "iwan": "ieuan",
}
# A full name this alike is the same spelling give or take a letter or two.
CLOSE = 88
# With the same month of birth, a looser likeness is enough to ask.
CLOSE_WITH_BIRTH_MONTH = 70


def _plain(text: str) -> str:
    """Lower case, accents and punctuation gone: Siân = sian, O'Brien = obrien."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum() or ch.isspace())


def normalised(given: str, family: str) -> str:
    words = _plain(f"{given} {family}").split()
    return " ".join(NICKNAMES.get(w, w) for w in words)


def likeness(a: tuple[str, str], b: tuple[str, str]) -> float:
    """0–100: how alike two (given, family) names are, word order aside."""
    return fuzz.token_sort_ratio(normalised(*a), normalised(*b))


def may_be_same(a: tuple[str, str], b: tuple[str, str], same_birth_month: bool) -> bool:
    score = likeness(a, b)
    return score >= CLOSE or (same_birth_month and score >= CLOSE_WITH_BIRTH_MONTH)
