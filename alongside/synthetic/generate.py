"""Generate one council's synthetic LAC records as plain rows, in bulk.

Django-free: it takes the ids of wards, Coordinators and codes and returns, per
table, column names and rows (or, for activities, numpy columns), with primary
keys already assigned so that foreign keys need no database round trip.
`load.py` writes them. Everything is drawn from one numpy Generator, so the
same seed gives the same data.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from alongside.codes.loader import read_codelists

from . import shape

Codes = dict[tuple[str, str], int]


@dataclass
class WardSpec:
    id: int
    name: str
    coordinator_id: int


@dataclass
class CouncilSpec:
    id: int
    name: str
    lac_started: date
    completeness: float  # share of optional fields a site actually fills in
    wards: list[WardSpec]


class Ids:
    """Primary keys handed out in order, starting after what the database already holds."""

    def __init__(self, start: dict[str, int]):
        self.next = defaultdict(lambda: 1, start)

    def take(self, table: str, n: int = 1) -> int:
        first = self.next[table]
        self.next[table] = first + n
        return first


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)


@dataclass
class Batch:
    tables: dict[str, Table] = field(default_factory=dict)
    activities: dict[str, np.ndarray] | None = None

    def add(self, table: str, columns: list[str], row: tuple) -> None:
        t = self.tables.get(table)
        if t is None:
            t = self.tables[table] = Table(columns)
        t.rows.append(row)

    def count(self, table: str) -> int:
        if table == "journeys.Activity":
            return 0 if self.activities is None else len(self.activities["id"])
        t = self.tables.get(table)
        return len(t.rows) if t else 0


# Columns of each table as written; ids come first.
COLUMNS = {
    "people.Person": ["id", "reference", "ward_id", "coordinator_id", "given_name", "family_name",
                      "birth_month", "postcode", "phone", "age_band_id", "gender_id", "ethnicity_id",
                      "long_term_condition_id", "relationship_to_services_id",
                      "relationship_type_id", "created_at", "updated_at"],
    "people.ConsentRecord": ["id", "person_id", "status_id", "lawful_basis_id",
                             "special_category_condition_id", "recorded_on", "recorded_by_id",
                             "note"],
    "community.CommunityGroup": ["id", "ward_id", "name", "type_id", "is_new", "started_on",
                                 "where", "when", "contact", "accessibility", "offers", "needs",
                                 "active"],
    "community.CommunityAsset": ["id", "ward_id", "kind_id", "name", "offers", "where", "contact",
                                 "offered_by_id", "active", "noted_on", "recorded_by_id",
                                 "version"],
    "community.CommunityAsset_groups": ["id", "communityasset_id", "communitygroup_id"],
    "community.GroupSupport": ["id", "group_id", "kind_id", "given_on", "coordinator_id", "note"],
    "community.DropIn": ["id", "ward_id", "venue", "when", "started_on", "ended_on"],
    "journeys.Introduction": ["id", "person_id", "ward_id", "introduced_on", "route_id",
                              "introducing_organisation", "level_requested_id", "recorded_by_id"],
    "journeys.IntroductionReason": ["id", "introduction_id", "reason_id"],
    "journeys.Engagement": ["id", "person_id", "group_id", "introduction_id", "coordinator_id",
                            "level_id", "status_id", "started_on", "ended_on", "waiting_since"],
    "journeys.Exit": ["id", "engagement_id", "person_id", "exited_on", "point_id", "response_id",
                      "outcome_id", "note", "recorded_by_id"],
    "journeys.Context": ["id", "person_id", "context_id", "noted_on", "recorded_by_id"],
    "journeys.Trigger": ["id", "person_id", "trigger_id", "occurred_on", "note", "recorded_by_id"],
    "journeys.Conversation": ["id", "person_id", "held_on", "vision", "own_gifts",
                              "friends_family_community", "services_funding", "recorded_by_id"],
    "journeys.Strength": ["id", "person_id", "conversation_id", "kind_id", "description"],
    "journeys.SharedAgreement": ["id", "person_id", "agreed_on", "next_review_on",
                                 "recorded_by_id"],
    "journeys.AgreementAction": ["id", "agreement_id", "description", "who", "due_on", "done_on"],
    "journeys.Review": ["id", "agreement_id", "reviewed_on", "what_changed", "next_review_on",
                        "recorded_by_id"],
    "journeys.Connection": ["id", "person_id", "kind_id", "group_id", "service_id", "other_person",
                            "made_on", "ended_on", "recorded_by_id", "asset_id"],
    "journeys.Outcome": ["id", "person_id", "group_id", "outcome_id", "present", "observed_on",
                         "evidence", "recorded_by_id"],
    "journeys.Insulator": ["id", "person_id", "insulator_id", "observed_on", "evidence",
                           "recorded_by_id"],
    "journeys.Ripple": ["id", "person_id", "group_id", "ripple_id", "observed_on", "evidence",
                        "recorded_by_id"],
    "journeys.Story": ["id", "ward_id", "person_id", "group_id", "title", "written_on", "before",
                       "what_happened", "what_changed", "without_lac", "quotes",
                       "consent_to_share", "recorded_by_id"],
    "journeys.Story_codes": ["id", "story_id", "code_id"],
    "journeys.ServiceUseChange": ["id", "person_id", "service", "change", "quantity", "observed_on",
                                  "evidence", "recorded_by_id"],
    "journeys.ScenarioEvent": ["id", "story_id", "pathway", "month", "service", "quantity", "note"],
    "journeys.Measurement": ["id", "person_id", "measure", "taken_on", "status", "answers",
                             "recorded_by_id"],
}
ACTIVITY_COLUMNS = ["id", "person_id", "group_id", "coordinator_id", "activity_id", "kind_id",
                    "level_id", "done_on", "minutes", "note"]

_ALPHABET = np.array(list("23456789ABCDEFGHJKLMNPQRSTUVWXYZ"))


def _measure_answers(rng, measure: str, progress: float, before: dict | None = None) -> dict:
    """Plausible answers; `progress` 1.0 shifts a follow-up towards better wellbeing and less
    loneliness by about one point, with noise (some people get worse)."""
    if measure == "ons4":
        if before is None:
            return {"life_satisfaction": int(np.clip(rng.normal(4.8, 2.0), 0, 10)),
                    "worthwhile": int(np.clip(rng.normal(5.2, 2.0), 0, 10)),
                    "happiness": int(np.clip(rng.normal(5.0, 2.2), 0, 10)),
                    "anxiety": int(np.clip(rng.normal(5.5, 2.4), 0, 10))}
        return {k: int(np.clip(round(v + (-1 if k == "anxiety" else 1) * progress * 1.1
                                     + rng.normal(0, 1.3)), 0, 10)) for k, v in before.items()}
    if before is None:
        return {k: int(rng.choice([1, 2, 3], p=[0.15, 0.4, 0.45]))
                for k in ("companionship", "left_out", "isolated")}
    return {k: int(np.clip(v - (rng.random() < 0.4 * progress) + (rng.random() < 0.1), 1, 3))
            for k, v in before.items()}


def reference(n: int) -> str:
    """A pseudonymous reference: an odd multiplier mod 2^35 is a bijection, so no clashes."""
    x = (n * 0x5DEECE66D + 0xB) % (1 << 35)
    chars = []
    for _ in range(7):
        chars.append(_ALPHABET[x & 31])
        x >>= 5
    return "P-" + "".join(chars)


class _Draw:
    """Weighted choices from shape dictionaries, against one Generator."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self._cache: dict[tuple, tuple[list, np.ndarray]] = {}

    def _prep(self, weights: dict):
        # Keyed by content, not id(): inline dicts are freed and their ids reused.
        key = tuple(weights.items())
        if key not in self._cache:
            keys = list(weights)
            p = np.array([weights[k] for k in keys], dtype=float)
            self._cache[key] = (keys, np.cumsum(p / p.sum()))
        return self._cache[key]

    def one(self, weights: dict):
        keys, cdf = self._prep(weights)
        return keys[min(int(np.searchsorted(cdf, self.rng.random(), side="right")), len(keys) - 1)]

    def many(self, weights: dict, n: int) -> list:
        keys, cdf = self._prep(weights)
        idx = np.minimum(np.searchsorted(cdf, self.rng.random(n), side="right"), len(keys) - 1)
        return [keys[i] for i in idx]

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=int(self.rng.integers(low, high + 1)))


class CouncilGenerator:
    def __init__(self, rng: np.random.Generator, council: CouncilSpec, people_per_ward: int,
                 codes: Codes, ids: Ids):
        self.rng = rng
        self.draw = _Draw(rng)
        self.c = council
        self.n = people_per_ward
        self.codes = codes
        self.ids = ids
        self.batch = Batch()
        # Per engagement, for the vectorised activity pass.
        self._act_plan: list[tuple] = []
        self._type_names = list(shape.ACTIVITY_TYPES) + list(shape.COMMUNITY_TYPES)
        # Measures draw from their own stream, so adding them left every other record as it was.
        self.measure_rng = np.random.default_rng(zlib.crc32(council.name.encode()))
        self.service_rng = np.random.default_rng(zlib.crc32(council.name.encode()) + 1)
        # Assets too: added later, drawn apart, so every record drawn before is unchanged.
        self.asset_rng = np.random.default_rng(zlib.crc32(council.name.encode()) + 2)
        self._assets: dict[int, list[int]] = {}
        self._costed: set[int] = set()

    def code(self, list_name: str, value: str) -> int:
        return self.codes[(list_name, value)]

    def add(self, table: str, *values) -> int:
        pk = self.ids.take(table)
        self.batch.add(table, COLUMNS[table], (pk, *values))
        return pk

    def filled(self, factor: float = 1.0) -> bool:
        """Whether an optional field is filled in, as often as this site fills such fields."""
        return bool(self.rng.random() < 1 - (1 - self.c.completeness) * factor)

    def maybe(self, value, factor: float = 1.0):
        return value if self.filled(factor) else None

    # ---------------------------------------------------------------- community
    def community(self, ward: WardSpec) -> list[int]:
        rng = self.rng
        groups = []
        n_groups = int(rng.integers(8, 16 + self.n // 40))
        for i in range(n_groups):
            gtype = shape.GROUP_TYPES[int(rng.integers(len(shape.GROUP_TYPES)))]
            label = self.codes_label(gtype)
            started = min(self.c.lac_started + self.draw.days(-900, 1200), shape.DATA_END)
            is_new = bool(rng.random() < 0.2) and started > self.c.lac_started
            gid = self.add(
                "community.CommunityGroup", ward.id, f"{ward.name} {label} {i + 1}",
                self.code("group_type", gtype), is_new, started,
                f"{ward.name} community centre", ["Mondays 10am", "Tuesdays 2pm", "Thursdays 7pm",
                                                   "Saturdays 11am"][i % 4],
                "", "Step-free access" if rng.random() < 0.6 else "",
                shape.GROUP_OFFERS.get(gtype, "Company and a warm welcome"),
                shape.GROUP_NEEDS[i % len(shape.GROUP_NEEDS)], True,
            )
            groups.append(gid)
        self._assets[ward.id] = self.assets(ward, groups)
        for i in range(int(rng.integers(1, 4))):
            self.add("community.DropIn", ward.id, f"{ward.name} library" if i == 0 else
                     f"{ward.name} church hall", ["Wednesdays 10am–12pm", "Fridays 1–3pm",
                                                  "Mondays 4–6pm"][i], self.c.lac_started, None)
        return groups

    def assets(self, ward: WardSpec, groups: list[int]) -> list[int]:
        """A handful of the ward's strengths, one or two of each ABCD kind; an individual's
        skill is offered by one of the ward's residents (their ids come next, in order)."""
        rng = self.asset_rng
        first_person = self.ids.next["people.Person"]
        found = []
        for i, (kind, name, offers, where) in enumerate(shape.ASSETS):
            by = first_person + int(rng.integers(self.n)) if kind == "individual_skill" and self.n else None
            noted = min(self.c.lac_started + timedelta(days=30 * (i + 1)), shape.DATA_END)
            aid = self.add("community.CommunityAsset", ward.id, self.code("asset_kind", kind), name,
                           offers, where.format(ward=ward.name) if where else "",
                           "Through the Coordinator" if by else "", by, True, noted,
                           ward.coordinator_id, 1)
            for g in rng.choice(groups, size=min(int(rng.integers(0, 3)), len(groups)), replace=False):
                self.add("community.CommunityAsset_groups", aid, int(g))
            found.append(aid)
        return found

    def codes_label(self, gtype: str) -> str:
        return gtype.replace("_", " ").title()

    def community_engagements(self, ward: WardSpec, groups: list[int], n: int) -> None:
        rng, draw = self.rng, self.draw
        span = (shape.DATA_END - self.c.lac_started).days
        for _ in range(n):
            gid = groups[int(rng.integers(len(groups)))]
            start = self.c.lac_started + timedelta(days=int(span * np.sqrt(rng.random())))
            end = start + draw.days(30, 365)
            open_ = end >= shape.DATA_END
            eid = self.add("journeys.Engagement", None, gid, None, ward.coordinator_id,
                           self.code("level_of_support", "COM"),
                           self.code("engagement_status", "active" if open_ else "closed"),
                           start, None if open_ else end, None)
            last = min(end, shape.DATA_END)
            for _ in range(int(rng.integers(1, 4))):
                kind = shape.GROUP_SUPPORT[int(rng.integers(len(shape.GROUP_SUPPORT)))]
                self.add("community.GroupSupport", gid, self.code("group_support", kind),
                         start + draw.days(0, max((last - start).days, 0)), ward.coordinator_id, "")
            self._act_plan.append(("group", gid, ward.coordinator_id, start, last,
                                   int(rng.integers(2, 10)), "community", eid))
            if rng.random() < 0.4:
                self.add("journeys.Outcome", None, gid, self.code("outcome", "CG"), True,
                         last, "Group now meets with two others for a shared summer event.",
                         ward.coordinator_id)

    # ------------------------------------------------------------------- people
    def ward(self, ward: WardSpec) -> None:
        groups = self.community(ward)
        n = self.n
        rng, draw = self.rng, self.draw
        span = (shape.DATA_END - self.c.lac_started).days
        # Introductions grow over time as a service beds in: later dates are likelier.
        first_dates = sorted(self.c.lac_started + timedelta(days=int(span * np.sqrt(u)))
                             for u in rng.random(n))
        ages = draw.many(shape.AGE_BANDS, n)
        genders = draw.many(shape.GENDER, n)
        ethnicities = draw.many(shape.ETHNICITY, n)
        ltcs = draw.many(shape.LONG_TERM_CONDITION, n)
        rels = draw.many(shape.RELATIONSHIP_TO_SERVICES, n)
        person_engagements = 0
        stories = 0
        for i in range(n):
            pid = self.ids.take("people.Person")
            engaged_l2 = self._journey(pid, ward, first_dates[i], ages[i], groups)
            person_engagements += engaged_l2[1]
            band = ages[i]
            lo, hi = _band_range(band)
            age = int(rng.integers(lo, hi + 1))
            birth = date(shape.DATA_END.year - age, int(rng.integers(1, 13)), 1)
            birth = self.maybe(birth, 0.6)
            band_code = band if birth is not None or rng.random() < 0.5 else "unknown"
            created = f"{first_dates[i].isoformat()} 09:30:00"
            given = shape.GIVEN_NAMES[int(rng.integers(len(shape.GIVEN_NAMES)))]
            family = shape.FAMILY_NAMES[int(rng.integers(len(shape.FAMILY_NAMES)))]
            self.batch.add("people.Person", COLUMNS["people.Person"], (
                pid, reference(pid), ward.id, ward.coordinator_id, given, family, birth,
                self.maybe(f"ZZ9 {int(rng.integers(1, 10))}{_ALPHABET[int(rng.integers(8, 32))]}"
                           f"{_ALPHABET[int(rng.integers(8, 32))]}", 0.5) or "",
                "", self.code("age_band", band_code),
                self.code("gender", genders[i]) if self.filled(0.2) else None,
                self.code("ethnicity", ethnicities[i]) if self.filled(1.5) else None,
                self.code("yes_no_unknown", ltcs[i]) if self.filled() else None,
                self.code("relationship_to_services", rels[i]) if self.filled() else None,
                self.code("relationship_type", draw.one(shape.RELATIONSHIP_TYPE))
                if engaged_l2[0] else None,
                created, created,
            ))
            consent = draw.one({"given": 92, "not_asked": 5, "refused": 3})
            self.add("people.ConsentRecord", pid, self.code("consent_status", consent),
                     self.code("lawful_basis", "6.1.e"), self.code("lawful_basis", "9.2.h"),
                     first_dates[i], ward.coordinator_id, "")
            if engaged_l2[0] and consent == "given" and stories < 3 and rng.random() < 0.1:
                self._story(ward, pid, first_dates[i])
                stories += 1
        n_com = round(person_engagements * shape.ENGAGEMENT_SPLIT["COM"]
                      / (shape.ENGAGEMENT_SPLIT["L1"] + shape.ENGAGEMENT_SPLIT["L2"]))
        self.community_engagements(ward, groups, n_com)

    def _journey(self, pid: int, ward: WardSpec, first: date, age_band: str,
                 groups: list[int]) -> tuple[bool, int]:
        """All cycles of one person's journey. Returns (ever walked alongside, engagements)."""
        rng, draw = self.rng, self.draw
        on = first
        walked = False
        n_eng = 0
        cycle = 0
        while on < shape.DATA_END and cycle < 3:
            cycle += 1
            n_eng += 1
            for _ in range(int(rng.integers(1, 4))):
                trig = draw.one(shape.TRIGGERS)
                self.add("journeys.Trigger", pid, self.code("trigger", trig),
                         on - draw.days(0, 30), "", ward.coordinator_id)
            l2 = rng.random() < shape.ENGAGEMENT_SPLIT["L2"] / (
                shape.ENGAGEMENT_SPLIT["L1"] + shape.ENGAGEMENT_SPLIT["L2"])
            route = draw.one(shape.ROUTES_L2 if l2 else shape.ROUTES_L1)
            org = shape.ORGANISATIONS.get(route, "")
            org = f"{self.c.name.replace(' Council', '')} {org}" if org else ""
            iid = self.add("journeys.Introduction", pid, ward.id, on,
                           self.code("introduction_route", route), self.maybe(org) or "",
                           self.code("level_of_support", "L2" if l2 else "L1"),
                           ward.coordinator_id)
            for reason in set(draw.many(shape.REASONS, int(rng.integers(1, 4)))):
                self.add("journeys.IntroductionReason", iid, self.code("problem", reason))
            if l2:
                end = self._level2(pid, ward, on, iid, route, age_band, groups, cycle == 1)
                walked = walked or end[1]
                end = end[0]
            else:
                end = self._level1(pid, ward, on, iid)
            if end is None or rng.random() > (0.22 if cycle == 1 else 0.15):
                break
            on = end + draw.days(90, 540)
        return walked, n_eng

    def _engagement(self, pid, ward, iid, level, start, end, exit_codes) -> int:
        """An engagement; closed with an exit when it ended before the data end date."""
        open_ = end >= shape.DATA_END
        status = ("safe_waiting" if self.rng.random() < 0.12 else "active") if open_ else "closed"
        eid = self.add("journeys.Engagement", pid, None, iid, ward.coordinator_id,
                       self.code("level_of_support", level), self.code("engagement_status", status),
                       start, None if open_ else end,
                       # dormant for the last two months, without a further random draw
                       max(start, shape.DATA_END - timedelta(days=60))
                       if status == "safe_waiting" else None)
        if not open_:
            point, response, outcome = exit_codes
            self.add("journeys.Exit", eid, pid, end, self.code("exit_point", point),
                     self.code("exit_response", response) if response else None,
                     self.code("exit_outcome", outcome), "", ward.coordinator_id)
        return eid

    def _level1(self, pid, ward, on, iid) -> date | None:
        start = min(on + self.draw.days(0, 7), shape.DATA_END)
        end = start + self.draw.days(3, 45)
        eid = self._engagement(pid, ward, iid, "L1", start, end,
                               ("planned_ending", "goals_met", "planned_close"))
        self._act_plan.append(("person", pid, ward.coordinator_id, start,
                               min(end, shape.DATA_END), int(self.rng.integers(1, 5)), "L1", eid))
        return end if end < shape.DATA_END else None

    def _level2(self, pid, ward, on, iid, route, age_band, groups, first_cycle):
        rng, draw = self.rng, self.draw
        statutory = route in _STATUTORY
        if rng.random() < shape.NON_ENGAGEMENT_P["statutory" if statutory else "other"]:
            point = draw.one(shape.EXIT_POINT_NON_ENGAGED)
            response = draw.one(shape.EXIT_RESPONSE_BY_POINT[point])
            outcome = draw.one(shape.EXIT_OUTCOME_NON_ENGAGED)
            start = min(on + draw.days(0, 10), shape.DATA_END)
            length = {"initial_contact": (7, 42), "after_first_meeting": (14, 60)}.get(point, (30, 120))
            end = start + draw.days(*length)
            eid = self._engagement(pid, ward, iid, "L2", start, end, (point, response, outcome))
            n_act = {"initial_contact": int(rng.integers(1, 4)),
                     "after_first_meeting": int(rng.integers(2, 4))}.get(point, int(rng.integers(3, 9)))
            self._act_plan.append(("person", pid, ward.coordinator_id, start,
                                   min(end, shape.DATA_END), n_act, "NE", eid))
            return (end if end < shape.DATA_END else None), False

        start = min(on + draw.days(0, 21), shape.DATA_END)
        duration = int(np.clip(rng.lognormal(np.log(300), 0.8), 60, 2500))
        end = start + timedelta(days=duration)
        last = min(end, shape.DATA_END)
        outcome = draw.one(shape.EXIT_OUTCOME_L2)
        point = "planned_ending" if outcome == "planned_close" else "walking_alongside"
        response = {"planned_close": "goals_met", "ceased_contact": "other_support"}.get(outcome)
        eid = self._engagement(pid, ward, iid, "L2", start, end, (point, response, outcome))
        # Each person gets their own mix of activities: the same presenting issue gets
        # different activity sets (strengths-based model, step 4).
        included = {t: (t in ("phone_call", "home_visit") or rng.random() < 0.55)
                    for t in shape.ACTIVITY_TYPES}
        days_active = max((last - start).days, 1)
        rate = rng.gamma(4.0, 0.25) * 0.95
        n_act = max(3, int(rng.poisson(days_active / 7 * rate)))
        self._act_plan.append(("person", pid, ward.coordinator_id, start, last, n_act,
                               included, eid))
        self._good_life(pid, ward, start, last)
        if first_cycle:
            contexts = {"ageing"} if age_band in ("65-74", "75-84", "85-94", "95+") else set()
            contexts.add(shape.CONTEXTS[int(rng.integers(1, 3))])
            for ctx in contexts:
                self.add("journeys.Context", pid, self.code("context", ctx), start,
                         ward.coordinator_id)
        self._connections(pid, ward, start, last, groups, included)
        self._outcomes(pid, ward, start, last, included, groups)
        self._measures(pid, ward, start, last)
        return (end if end < shape.DATA_END else None), True

    def _good_life(self, pid, ward, start, last):
        rng, draw = self.rng, self.draw
        held = min(start + draw.days(7, 28), last)
        vision = shape.VISIONS[int(rng.integers(len(shape.VISIONS)))]
        cid = self.add("journeys.Conversation", pid, held, vision,
                       "Good with people; used to cook for the whole street.",
                       "Sister nearby; neighbour checks in.", "Needs help with PIP and the GP.",
                       ward.coordinator_id)
        for kind in rng.choice(list(shape.STRENGTHS), size=int(rng.integers(2, 5)), replace=False):
            options = shape.STRENGTHS[kind]
            self.add("journeys.Strength", pid, cid, self.code("strength_kind", str(kind)),
                     options[int(rng.integers(len(options)))])
        agreed = min(held + draw.days(0, 7), last)
        review = agreed + draw.days(60, 120)
        aid = self.add("journeys.SharedAgreement", pid, agreed, review, ward.coordinator_id)
        actions = [("Go along to a group together", "Coordinator"),
                   ("Phone the benefits line", "The person"),
                   ("Ask daughter about Sunday lunches", "Family"),
                   ("Chase housing repair", "Coordinator")]
        for what, who in actions[: int(rng.integers(2, 5))]:
            due = agreed + draw.days(14, 60)
            self.add("journeys.AgreementAction", aid, what, who, due,
                     due if due < last and rng.random() < 0.7 else None)
        n_reviews = 0
        while review < last and n_reviews < 8:
            nxt = review + draw.days(60, 120)
            self.add("journeys.Review", aid, review,
                     shape.WHAT_CHANGED[int(rng.integers(len(shape.WHAT_CHANGED)))], nxt,
                     ward.coordinator_id)
            review = nxt
            n_reviews += 1

    def _connections(self, pid, ward, start, last, groups, included):
        rng, draw = self.rng, self.draw
        span = max((last - start).days, 1)
        n = int(rng.integers(0, 3)) + (int(rng.integers(1, 3)) if included["intro_group"] else 0)
        for _ in range(n):
            made = start + timedelta(days=int(rng.integers(0, span)))
            kind = draw.one({"group": 60, "service": 30, "person": 10})
            self.add("journeys.Connection", pid, self.code("connection_kind", kind),
                     groups[int(rng.integers(len(groups)))] if kind == "group" else None,
                     self.code("service", shape.SERVICES[int(rng.integers(len(shape.SERVICES)))])
                     if kind == "service" else None,
                     "A neighbour on the same street" if kind == "person" else "", made, None,
                     ward.coordinator_id, None)
        assets = self._assets.get(ward.id)
        if assets and self.asset_rng.random() < 0.25:
            made = start + timedelta(days=int(self.asset_rng.integers(0, span)))
            self.add("journeys.Connection", pid, self.code("connection_kind", "asset"), None, None,
                     "", made, None, ward.coordinator_id,
                     assets[int(self.asset_rng.integers(len(assets)))])

    def _measures(self, pid, ward, start, last):
        """ONS4 and UCLA loneliness for some Level 2 people: asked when the moment was right
        (or declined), and again months later for some, with modest change (an assumption)."""
        rng = self.measure_rng
        days = (last - start).days
        if days < 90 or rng.random() >= shape.MEASURE_ASKED_P:
            return
        first_on = start + timedelta(days=int(rng.integers(30, 61)))
        status = self.draw_status(rng)
        for measure in ("ons4", "ucla3"):
            if status != "answered":
                self.add("journeys.Measurement", pid, measure, first_on, status, "{}", ward.coordinator_id)
                continue
            before = _measure_answers(rng, measure, 0.0)
            self.add("journeys.Measurement", pid, measure, first_on, "answered", json.dumps(before),
                     ward.coordinator_id)
            if days >= 210 and rng.random() < shape.MEASURE_FOLLOW_UP_P:
                on = start + timedelta(days=int(rng.integers(180, days + 1)))
                after = _measure_answers(rng, measure, 1.0, before)
                self.add("journeys.Measurement", pid, measure, on, "answered", json.dumps(after),
                         ward.coordinator_id)

    @staticmethod
    def draw_status(rng) -> str:
        r = rng.random()
        return "declined" if r < 0.12 else "not_now" if r < 0.2 else "answered"

    def _outcomes(self, pid, ward, start, last, included, groups):
        rng = self.rng
        days = (last - start).days
        if days < 60:
            return

        def when(low=60):
            return start + timedelta(days=int(rng.integers(min(low, days), days + 1)))

        for code, p in shape.STO_P.items():
            if rng.random() < p:
                self.add("journeys.Outcome", pid, None, self.code("outcome", code), True, when(),
                         "", ward.coordinator_id)
        if days >= 180:
            for code, p in shape.MTO_P.items():
                if rng.random() < p:
                    self.add("journeys.Outcome", pid, None, self.code("outcome", code), True,
                             when(180), "", ward.coordinator_id)
        if days >= 120:
            # The study's QCA: advocacy was in every successful configuration but not
            # sufficient alone; signposting alone never led to success; two or three
            # activities together did. The synthetic outcome follows that pattern.
            adv, intro, board = included["advocacy"], included["intro_group"], included["sounding_board"]
            n_core = sum((adv, intro, board, included["accompanying"]))
            p = 0.1 + (0.55 if adv and n_core >= 2 else 0.1 if adv else 0.0) + 0.05 * n_core
            present = bool(rng.random() < p)
            on = when(120)
            self.add("journeys.Outcome", pid, None, self.code("outcome", "IC"), present, on,
                     "Says they feel in charge of things again." if present else "", ward.coordinator_id)
            for dim, driver in (("IC.navigate", adv), ("IC.community", intro), ("IC.independent", board)):
                q = 0.2 + (0.5 if driver else 0) + (0.15 if present else 0)
                self.add("journeys.Outcome", pid, None, self.code("outcome", dim),
                         bool(rng.random() < q), on, "", ward.coordinator_id)
        if days >= 120:
            self._service_use(pid, ward, start, days)
        for ins in rng.choice(shape.INSULATORS, size=int(rng.integers(0, 5)), replace=False):
            self.add("journeys.Insulator", pid, self.code("insulator", str(ins)), when(),
                     "", ward.coordinator_id)
        if rng.random() < shape.RIPPLE_P:
            kind = self.draw.one(shape.RIPPLE_KIND)
            self.add("journeys.Ripple", pid, groups[int(rng.integers(len(groups)))],
                     self.code("ripple", kind), when(),
                     "Now helps run the Tuesday session.", ward.coordinator_id)

    def _service_use(self, pid, ward, start, days):
        rng = self.service_rng  # its own stream, so every other record stays as it was
        for key, (p, change, low, high, evidence) in shape.SERVICE_USE.items():
            if rng.random() < p:
                on = start + timedelta(days=int(rng.integers(120, days + 1)))
                self.add("journeys.ServiceUseChange", pid, key, change, int(rng.integers(low, high + 1)),
                         on, evidence, ward.coordinator_id)

    def _story(self, ward, pid, on):
        sid = self.add(
            "journeys.Story", ward.id, pid, None, "Back in touch with the street", on,
            "Rarely left the flat after a fall; letters piling up; no contact with neighbours.",
            "Met the Coordinator at home; sorted Attendance Allowance together; went along to "
            "the lunch club twice before going alone.",
            "Goes out three times a week, has a neighbour who checks in, manages own post.",
            "Likely a second fall and hospital admission; probable move to residential care.",
            "\"I feel like me again.\"", True, ward.coordinator_id)
        for lst, code in (("problem", "PA1"), ("activity", "A1"), ("activity", "A5"),
                          ("outcome", "STO3"), ("insulator", "networks")):
            self.add("journeys.Story_codes", sid, self.code(lst, code))
        # One costed scenario per ward: a case conference costs one story in depth, not all.
        if ward.id not in self._costed:
            self._costed.add(ward.id)
            for pathway, month, key, quantity, note in shape.STORY_SCENARIO:
                self.add("journeys.ScenarioEvent", sid, pathway, month, key, quantity, note)

    # --------------------------------------------------------------- activities
    def activities(self) -> dict[str, np.ndarray]:
        """All activities of this council in one vectorised pass over the engagement plans."""
        rng = self.rng
        plans = self._act_plan
        counts = np.array([p[5] for p in plans], dtype=np.int64)
        total = int(counts.sum())
        idx = np.repeat(np.arange(len(plans)), counts)
        starts = np.array([p[3].toordinal() for p in plans], dtype=np.int64)
        spans = np.array([max((p[4] - p[3]).days, 0) for p in plans], dtype=np.int64)
        ordinal = starts[idx] + np.floor(rng.random(total) * (spans[idx] + 1)).astype(np.int64)
        ordinal = np.minimum(ordinal, shape.DATA_END.toordinal())
        # The activity type of each row, drawn from its engagement's own mix.
        names = self._type_names
        weights = np.zeros((len(plans), len(names)))
        base = {**{k: v[1] for k, v in shape.ACTIVITY_TYPES.items()},
                **{k: v[1] for k, v in shape.COMMUNITY_TYPES.items()}}
        for r, p in enumerate(plans):
            mix = p[6]
            if mix == "L1":
                row = {k: shape.LEVEL1_TYPES.get(k, 0) for k in names}
            elif mix == "NE":
                row = {k: (base[k] if k in ("phone_call", "home_visit") else 0) for k in names}
            elif mix == "community":
                row = {k: (base[k] if k in shape.COMMUNITY_TYPES else 0) for k in names}
            else:
                row = {k: (base[k] * rng.gamma(2.0) if mix.get(k) else 0) for k in names}
            weights[r] = [row[k] for k in names]
        cdf = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
        u = rng.random(total)
        type_idx = np.minimum((u[:, None] > cdf[idx]).sum(axis=1), len(names) - 1)
        kinds = np.array([self.code("activity", n) for n in names])
        parents = np.array([self.code("activity", self._parent(n)) for n in names])
        levels = np.array([self.code("activity_level", self._level(n)) for n in names])
        low = np.array([self._minutes(n)[0] for n in names])
        high = np.array([self._minutes(n)[1] for n in names])
        minutes = low[type_idx] + np.floor(rng.random(total) * (high - low + 1)[type_idx]).astype(int)
        minutes = np.where(rng.random(total) < (1 - self.c.completeness) * 0.5, -1, minutes)
        is_group = np.array([p[0] == "group" for p in plans])
        owner = np.array([p[1] for p in plans], dtype=np.int64)
        first = self.ids.take("journeys.Activity", total)
        order = np.lexsort((ordinal, idx))
        return {
            "id": np.arange(first, first + total, dtype=np.int64),
            "person_id": np.where(is_group[idx], -1, owner[idx])[order],
            "group_id": np.where(is_group[idx], owner[idx], -1)[order],
            "coordinator_id": np.array([p[2] for p in plans], dtype=np.int64)[idx][order],
            "activity_id": parents[type_idx][order],
            "kind_id": kinds[type_idx][order],
            "level_id": levels[type_idx][order],
            "done_on": ordinal[order],
            "minutes": minutes[order],
        }

    def _parent(self, name: str) -> str:
        return _ACTIVITY[name]["parent"]

    def _level(self, name: str) -> str:
        return _ACTIVITY[name]["attrs"]["level"]

    def _minutes(self, name: str) -> tuple[int, int]:
        spec = shape.ACTIVITY_TYPES.get(name) or shape.COMMUNITY_TYPES[name]
        return spec[0]

    def run(self) -> Batch:
        for ward in self.c.wards:
            self.ward(ward)
        self.batch.activities = self.activities()
        return self.batch


# Facts about codes (which routes are statutory, an activity type's A-code and level)
# come from the code-list file, so they cannot drift from what the app loads.
_LISTS = read_codelists()["lists"]
_STATUTORY = {c["code"] for c in _LISTS["introduction_route"]["codes"] if c["attrs"]["statutory"]}
_ACTIVITY = {c["code"]: c for c in _LISTS["activity"]["codes"] if c.get("parent")}


def _band_range(band: str) -> tuple[int, int]:
    if band == "u18":
        return 11, 17
    if band.endswith("+"):
        return int(band[:-1]), int(band[:-1]) + 4
    lo, hi = band.split("-")
    return int(lo), int(hi)

