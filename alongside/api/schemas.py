"""What the API returns and accepts. Codes travel as their minimum-dataset code ("PA2", "L2"),
never as database ids, so another system can map them from docs/minimum-dataset.md."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


def _code(path: str, description: str = ""):
    return Field(None, alias=f"{path}.code", description=description)


class CodeOut(Schema):
    code: str
    label: str
    label_cy: str = Field("", description="Welsh label, where translated")
    parent: str | None = _code("parent")


class WardOut(Schema):
    ons_code: str
    name: str
    council: str = Field(..., alias="council.ons_code")
    council_name: str = Field(..., alias="council.name")
    population: int


class PersonOut(Schema):
    reference: str = Field(..., description="Pseudonymous reference, used in every other resource")
    ward: str = Field(..., alias="ward.ons_code")
    coordinator: str | None = Field(None, alias="coordinator.username")
    given_name: str
    family_name: str
    birth_month: date | None
    postcode: str
    phone: str
    age_band: str | None = _code("age_band")
    gender: str | None = _code("gender")
    ethnicity: str | None = _code("ethnicity")
    long_term_condition: str | None = _code("long_term_condition")
    relationship_to_services: str | None = _code("relationship_to_services")
    relationship_type: str | None = _code("relationship_type")
    updated_at: datetime


class IntroductionOut(Schema):
    id: int
    person: str = Field(..., alias="person.reference")
    ward: str = Field(..., alias="ward.ons_code")
    introduced_on: date
    route: str = Field(..., alias="route.code")
    introducing_organisation: str
    level_requested: str = Field(..., alias="level_requested.code")
    reasons: list[str]

    @staticmethod
    def resolve_reasons(obj) -> list[str]:
        return sorted(r.code for r in obj.reasons.all())


class NewPersonIn(Schema):
    given_name: str = Field(..., min_length=1, max_length=80)
    family_name: str = Field("", max_length=80)
    birth_month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                    description="YYYY-MM", examples=["1958-03"])
    postcode: str = Field("", max_length=8)
    ward: str = Field(..., description="ONS code of the ward they live in (in the token's council)")


class IntroductionIn(Schema):
    person: str | None = Field(None, description="Reference of a person already known; "
                               "give this or new_person")
    new_person: NewPersonIn | None = None
    different_person: bool = Field(False, description="Confirms a new person is not one of the "
                                   "possible duplicates a previous attempt listed")
    introduced_on: date
    route: str = Field(..., description="introduction_route code", examples=["gp"])
    introducing_organisation: str = Field("", max_length=160)
    reasons: list[str] = Field(..., min_length=1, description="problem codes", examples=[["PA2"]])
    level_requested: str = Field("L2", description="L1 or L2")
    consent: str = Field("given", description="consent_status code")
    lawful_basis: str = Field("6.1.e", description="lawful_basis code")


class EngagementOut(Schema):
    id: int
    person: str | None = Field(None, alias="person.reference")
    group: int | None = Field(None, alias="group_id")
    introduction: int | None = Field(None, alias="introduction_id")
    level: str = Field(..., alias="level.code")
    status: str = Field(..., alias="status.code")
    started_on: date
    ended_on: date | None
    waiting_since: date | None


class ActivityOut(Schema):
    id: int
    person: str | None = Field(None, alias="person.reference")
    group: int | None = Field(None, alias="group_id")
    activity: str = Field(..., alias="activity.code", description="A1–A7")
    kind: str | None = _code("kind")
    level: str = Field(..., alias="level.code")
    done_on: date
    minutes: int | None
    note: str


class ConnectionOut(Schema):
    id: int
    person: str = Field(..., alias="person.reference")
    kind: str = Field(..., alias="kind.code")
    group: int | None = Field(None, alias="group_id")
    service: str | None = _code("service")
    other_person: str
    made_on: date
    ended_on: date | None


class OutcomeOut(Schema):
    id: int
    person: str | None = Field(None, alias="person.reference")
    group: int | None = Field(None, alias="group_id")
    outcome: str = Field(..., alias="outcome.code")
    present: bool
    observed_on: date
    evidence: str


class InsulatorOut(Schema):
    id: int
    person: str | None = Field(None, alias="person.reference")
    insulator: str = Field(..., alias="insulator.code")
    observed_on: date
    evidence: str


class GroupOut(Schema):
    id: int
    ward: str = Field(..., alias="ward.ons_code")
    name: str
    type: str = Field(..., alias="type.code")
    is_new: bool
    started_on: date | None
    where: str
    when: str
    contact: str
    active: bool


class StoryOut(Schema):
    id: int
    ward: str = Field(..., alias="ward.ons_code")
    person: str | None = Field(None, alias="person.reference")
    group: int | None = Field(None, alias="group_id")
    title: str
    written_on: date
    before: str
    what_happened: str
    what_changed: str
    without_lac: str
    quotes: str
    consent_to_share: bool
    codes: list[str]

    @staticmethod
    def resolve_codes(obj) -> list[str]:
        return sorted(f"{c.list}:{c.code}" for c in obj.codes.all())


class FieldQuality(Schema):
    field: str
    mandatory: bool
    recorded_percent: float | None
    unknown_percent: float | None = Field(..., description="recorded as 'not known'")
    missing_percent: float | None


OUTSIDE_THE_TEAM = "for roles outside the team: rounded to the nearest 5, '<5' for 1–4"


class RecordQuality(Schema):
    council: str
    record: str
    records: int | str = Field(..., description=OUTSIDE_THE_TEAM)
    complete_percent: float | None
    mandatory_percent: float | None
    fields: list[FieldQuality]


class MeasureOut(Schema):
    section: str
    measure: str
    council: str
    count: int | str = Field(..., description=OUTSIDE_THE_TEAM)
    share_percent: float | None


class SiteFigures(Schema):
    councils: list[str]
    period: str
    suppressed: bool = Field(..., description="True when counts under 5 are shown as '<5'")
    measures: list[MeasureOut]
