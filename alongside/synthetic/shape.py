"""The shape of synthetic LAC data, with where each figure comes from.

All weights are proportions; `generate.py` normalises them. Figures marked
"DOMAIN" are from the published LAC evaluations the project was seeded with; the rest are plausible
assumptions, labelled as such, chosen so the evidence pages have variation.
"""

from dataclasses import dataclass
from datetime import date

# A fixed end date, so that the same --seed gives the same data on any day.
DATA_END = date(2026, 10, 31)


@dataclass(frozen=True)
class Scale:
    councils: int
    wards_per_council: int
    people_per_ward: int


SCALES = {
    "demo": Scale(councils=1, wards_per_council=3, people_per_ward=100),
    "site": Scale(councils=1, wards_per_council=12, people_per_ward=250),
    # DOMAIN/issue 2: 20 councils × 25 wards, about 250,000 people, 5,000,000 activities.
    "network": Scale(councils=20, wards_per_council=25, people_per_ward=500),
}

# DOMAIN (York): 46% Level 1, 33% Level 2, 21% community-group assistance.
ENGAGEMENT_SPLIT = {"L1": 46, "L2": 33, "COM": 21}

# DOMAIN (York): ~10% under 18, 45% 18–59, 45% 60+, spread over the CLD bands.
AGE_BANDS = {"u18": 10, "18-24": 6, "25-44": 20, "45-64": 26, "65-74": 15, "75-84": 15,
             "85-94": 7, "95+": 1}
# DOMAIN (York): ~60% female.
GENDER = {"F": 60, "M": 38, "X": 1, "Z": 1}
# ONS Census 2021, England and Wales, ethnic group (per cent, rounded).
ETHNICITY = {"W1": 74.4, "W5": 6.2, "W2": 0.9, "W3": 0.1, "W4": 0.2, "A3": 3.1, "A4": 2.7,
             "A1": 1.1, "A2": 0.7, "A5": 1.6, "B1": 2.5, "B2": 1.0, "B3": 0.5, "M1": 0.8,
             "M2": 0.4, "M3": 0.9, "M4": 0.8, "O1": 0.6, "O2": 1.6}
# DOMAIN (York): ~90% with a long-term condition.
LONG_TERM_CONDITION = {"yes": 88, "no": 9, "unknown": 3}
# Assumption.
RELATIONSHIP_TO_SERVICES = {"new": 30, "existing": 50, "disconnected": 16, "unknown": 4}
RELATIONSHIP_TYPE = {"friend_family": 35, "mentor": 35, "community_engager": 20, "doing_for": 10}

# DOMAIN (York): all introductions 19% self/community groups, 9% ASC, 7% community centres;
# the rest spread by assumption.
ROUTES_L1 = {"self": 12, "family_friend": 6, "neighbour": 2, "community_group": 7,
             "community_centre": 7, "voluntary_sector": 10, "housing_association": 7,
             "adult_social_care": 9, "cmht": 5, "gp": 9, "health_visitor": 4, "hospital": 3,
             "council_housing": 5, "police": 3, "fire": 2, "jobcentre": 3, "education": 3,
             "other": 3}
# DOMAIN (York): Level 2 introductions 20% ASC, 10% CMHT, 9% housing associations,
# 8% health visitors.
ROUTES_L2 = {"adult_social_care": 20, "cmht": 10, "housing_association": 9, "health_visitor": 8,
             "self": 8, "family_friend": 5, "neighbour": 2, "community_group": 5,
             "community_centre": 4, "voluntary_sector": 7, "gp": 8, "hospital": 3,
             "council_housing": 4, "police": 2, "fire": 1, "jobcentre": 2, "education": 1,
             "other": 1}
ORGANISATIONS = {"adult_social_care": "Adult Social Care", "cmht": "Community Mental Health Team",
                 "housing_association": "Housing Association", "health_visitor": "Health Visiting",
                 "gp": "Medical Practice", "hospital": "NHS Trust", "council_housing": "Housing Options",
                 "police": "Neighbourhood Policing Team", "fire": "Fire and Rescue Service",
                 "jobcentre": "Jobcentre Plus", "education": "Academy", "voluntary_sector": "Age Concern",
                 "community_centre": "Community Centre", "community_group": "Community Group"}

# DOMAIN (York, Level 2): mental health 14%, isolation 12%, housing 9%; the rest by assumption.
REASONS = {"PA3.mental_health": 18, "PA1.loneliness": 15, "PA4.housing": 10,
           "PA3.physical_health": 12, "PA2.benefits": 10, "PA4.debt": 8, "PA1.bereavement": 5,
           "PA2.access": 6, "PA2.forms": 4, "PA3.memory": 3, "PA3.substance": 2,
           "PA3.learning_disability": 3, "PA1.new_to_area": 2, "PA4.employment": 1, "PA4.food": 1}

# Non-engagement (DOMAIN: 60 cases): 65% introduced by statutory services. A higher
# non-engagement chance for statutory routes reproduces that share (assumption: 24% vs 18%).
NON_ENGAGEMENT_P = {"statutory": 0.24, "other": 0.18}
EXIT_POINT_NON_ENGAGED = {"initial_contact": 55, "after_first_meeting": 35,
                          "walking_alongside": 7, "community_building": 3}
EXIT_RESPONSE_BY_POINT = {
    "initial_contact": {"never_engaged": 15, "no_support_wanted": 25, "incorrect_expectations": 20,
                        "needed_crisis_support": 15, "other_support": 25},
    "after_first_meeting": {"one_meeting": 75, "incorrect_expectations": 20, "other_support": 5},
    "walking_alongside": {"one_meeting": 20, "incorrect_expectations": 30,
                          "needed_crisis_support": 20, "other_support": 30},
    "community_building": {"one_meeting": 20, "incorrect_expectations": 30,
                           "needed_crisis_support": 20, "other_support": 30},
}
# DOMAIN: ceased contact 53.3%, closed without engagement 21.7%, referred back 11.7%.
EXIT_OUTCOME_NON_ENGAGED = {"ceased_contact": 53.3, "closed_no_engagement": 21.7,
                            "referred_back": 11.7, "referred_back_unsuitable": 5,
                            "moved_away": 5, "died": 3.3}
# Endings of Level 2 walking alongside (assumption).
EXIT_OUTCOME_L2 = {"planned_close": 70, "moved_away": 10, "ceased_contact": 15, "died": 5}

# DOMAIN: 15/48 (about a third) of Level 2 went on to volunteer or run groups.
RIPPLE_P = 15 / 48
RIPPLE_KIND = {"volunteering": 60, "running_group": 30, "leadership": 10}
# DOMAIN: 35/48 felt accompanied; 30/48 less isolated; two-thirds helped to services.
STO_P = {"STO1": 0.6, "STO2": 0.66, "STO3": 30 / 48, "STO4": 0.35, "STO5": 0.45}
MTO_P = {"MTO1": 0.45, "MTO2": 0.5, "MTO3": 0.35, "MTO4": 0.35, "MTO5": 0.4, "MTO6": 0.35}

# Finer activity types: minutes (low, high) and how often they appear in a Level 2 mix.
ACTIVITY_TYPES = {
    "home_visit": ((45, 90), 18), "phone_call": ((5, 25), 30), "accompanying": ((60, 180), 6),
    "form_filling": ((30, 90), 6), "signposting": ((10, 30), 8), "advocacy": ((30, 90), 6),
    "multi_agency": ((45, 120), 2), "sounding_board": ((20, 60), 10), "intro_group": ((30, 120), 5),
    "intro_person": ((20, 60), 3), "plan_review": ((30, 60), 3), "community_building": ((30, 90), 3),
}
LEVEL1_TYPES = {"phone_call": 35, "signposting": 35, "form_filling": 10, "intro_group": 10,
                "home_visit": 10}
COMMUNITY_TYPES = {"group_facilitation": ((60, 120), 45), "funding_support": ((60, 180), 30),
                   "community_building": ((30, 90), 25)}

CONTEXTS = ("ageing", "lifelong", "life_event")
TRIGGERS = {"low_confidence": 10, "stress_anxiety": 14, "health_issue": 14, "financial_problem": 10,
            "new_situation": 7, "lost_network": 9, "isolation": 12, "unaware_support": 6,
            "cannot_access": 8, "cannot_navigate": 6, "wrong_support": 4}
INSULATORS = ("confidence", "less_stress", "stability", "networks", "community_resources",
              "shared_problems", "navigate", "advocate", "person_centred", "fewer_barriers")

GROUP_TYPES = ("lunch_club", "peer_support", "arts_crafts", "walking_sport", "gardening", "faith",
               "parents", "youth", "mens_shed", "food", "residents", "digital", "carers", "venue")
GROUP_OFFERS = {
    "lunch_club": "A hot meal and company once a week", "peer_support": "People who have been there too",
    "arts_crafts": "Materials and a friendly table", "walking_sport": "Gentle exercise at your own pace",
    "gardening": "Growing food together", "faith": "Fellowship and a welcome for anyone",
    "parents": "Play and a cuppa for parents", "youth": "Activities for young people",
    "mens_shed": "Tools, projects and a chat", "food": "Emergency food and advice",
    "residents": "A voice for the estate", "digital": "Help with phones, tablets and forms",
    "carers": "A break and a listening ear", "venue": "A room others can use",
}
GROUP_NEEDS = ("More volunteers", "A cheaper venue", "Funding for materials", "Publicity", "")
# (ABCD kind, name, what it offers, where: never a home address). Names a skill, not a person.
ASSETS = (
    ("individual_skill", "Bike repairs", "Fixes bikes and teaches others to", ""),
    ("individual_skill", "Knitting and sewing lessons", "Teaches beginners at the library", ""),
    ("association", "Friends of the park", "Litter picks, events, a say in the park's future", ""),
    ("institution", "Primary school", "Hall and playground for community use after hours",
     "{ward} primary school"),
    ("space", "Community garden", "Raised beds anyone can use", "Behind {ward} library"),
    ("economic", "Corner café", "Hosts groups for free in quiet hours", "{ward} high street"),
)
GROUP_SUPPORT = ("funding", "venue", "mentoring", "facilitation", "publicity", "volunteers",
                 "connections")
SERVICES = ("gp", "mental_health", "adult_social_care", "housing", "benefits", "debt_advice",
            "employment", "carers")
STRENGTHS = {
    "gift": ["Warm and welcoming", "A good listener", "Makes people laugh", "Patient with children"],
    "skill": ["Baking", "Knitting and sewing", "Fixing bikes", "Gardening", "Cooking for a crowd",
              "Painting and decorating", "Computers", "Speaks Polish and English", "Woodwork"],
    "experience": ["Thirty years as a nurse", "Raised four children", "Ran a corner shop",
                   "Served in the army", "Cared for a parent with dementia"],
    "interest": ["Local history", "Football", "Birdwatching", "Singing", "Photography", "Fishing"],
    "relationship": ["Close to a neighbour", "Daughter visits weekly", "Friends at church"],
}
VISIONS = [
    "I want to get out of the house and see people again, maybe do some gardening.",
    "To feel settled in my flat and not worry about the letters.",
    "Being useful again – I used to run things, I miss that.",
    "I'd like my grandchildren to visit and for me to manage my own money.",
    "Feeling well enough to walk to the shops and have a chat on the way.",
    "A job, a few mates and a bit of peace of mind.",
    "To not be on my own every evening.",
    "To stay in my own home, with people around who know me.",
]
WHAT_CHANGED = [
    "Has been to the lunch club three times and now goes with a neighbour.",
    "Benefits sorted; says the letters don't frighten her any more.",
    "Talked through options and decided to try the walking group.",
    "Less anxious; phoning the GP surgery himself now.",
    "Plan unchanged – still waiting on the housing decision; agreed to chase together.",
    "Volunteering on Tuesdays at the food pantry.",
]
GIVEN_NAMES = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophia", "Lily", "Freya", "Ella",
               "Margaret", "Patricia", "Susan", "Janet", "Linda", "Carol", "Aisha", "Fatima", "Zara",
               "Priya", "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Jack", "Mohammed",
               "David", "John", "Peter", "Michael", "Brian", "Keith", "Rhys", "Dylan", "Gethin",
               "Cerys", "Megan", "Sion", "Kwame", "Tomasz", "Ahmed", "Raj", "Kevin", "Lee", "Dawn"]
FAMILY_NAMES = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
                "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White",
                "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Khan",
                "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore",
                "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
                "Phillips", "Watson", "Ali", "Begum", "Hussain", "Kowalski", "Nowak", "Okafor"]
# Invented councils and places, so no synthetic site is mistaken for a real one.
COUNCILS = ["Lowmere", "Brackendale", "Fernhollow", "Cinderby Vale", "Glasmoor", "Hollinwick",
            "Marrowby", "Quillhampton", "Rushmere Vale", "Tallowford", "Wrenscombe", "Ystradfach",
            "Amberleigh", "Copperdene", "Dunmallow", "Elderwick", "Gorsemoor", "Kestrelby",
            "Nettlecombe", "Pwllmawr"]
PLACE_STEMS = ["Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Glen", "Hart", "Ivy", "Kings", "Lark",
               "Mill", "Nor", "Oak", "Pen", "Quarry", "Rose", "Stone", "Thorn", "Upper", "Vale",
               "Wester", "Yew", "Brook", "Carreg", "Llan", "Aber", "Cwm", "Pont", "Tre"]
PLACE_ENDS = ["ford", "ley", "field", "ton", "bury", "wick", "dale", "moor", "gate", "side",
              "well", "hurst", "mouth", "by", "combe"]

# Light outcome measures (assumptions: no figures in the seeds). Share of Level 2 people asked at
# all, and of those who answered, asked again months later.
MEASURE_ASKED_P = 0.45
MEASURE_FOLLOW_UP_P = 0.7

# Service-use changes a Coordinator records for a Level 2 person (assumptions: the seeds give no
# rates). Key of the unit cost table: (chance per person walked alongside for 4+ months, change,
# smallest and largest quantity, evidence).
SERVICE_USE = {
    "gp_consultation": (0.18, "reduced", 2, 6, "Sees the GP for the condition only; no longer books in "
                        "when lonely or worried (surgery confirmed)."),
    "ae_attendance": (0.10, "prevented", 1, 3, "Used to go to A&E when panicking at night; now rings "
                      "a neighbour and has a plan."),
    "ambulance_see_and_convey": (0.05, "prevented", 1, 2, "No falls needing an ambulance since the "
                                 "home was made safer with the family."),
    "mental_health_crisis_contact": (0.04, "prevented", 1, 4, "Crisis team contacts stopped after "
                                     "joining the peer group."),
    "home_care_hour": (0.04, "deferred", 52, 260, "Managing at home with neighbours' help; care "
                       "assessment put back a year."),
    "social_worker_hour": (0.05, "increased", 2, 6, "Introduced to adult social care for an "
                           "assessment they had been missing out on."),
    "statutory_homelessness_application": (0.02, "prevented", 1, 1, "Arrears plan agreed with the "
                                           "landlord before notice was served."),
}
# A costed scenario for the demo story ("a second fall and hospital admission; probable move to
# residential care"): (pathway, month, unit cost key, quantity, note).
STORY_SCENARIO = [
    ("with_lac", 1, "gp_consultation", 2, "GP reviews after the first fall"),
    ("with_lac", 4, "social_worker_hour", 3, "Attendance Allowance and equipment assessment"),
    ("without_lac", 3, "ambulance_see_and_convey", 1, "Second fall"),
    ("without_lac", 3, "ae_attendance", 1, "Second fall"),
    ("without_lac", 3, "non_elective_stay_long", 1, "Admission after the fall"),
    ("without_lac", 6, "home_care_hour", 7 * 26, "Home care after discharge, 7 hours a week"),
    ("without_lac", 12, "residential_care_65_week_council", 52, "Move to residential care"),
]
# The demo councils' programme cost per financial year (invented, in the range of LAC job
# adverts: one Coordinator per ward).
PROGRAMME = {"salary": 33_000, "on_costs": 28, "management_per_ward": 9_000, "venues_per_ward": 1_500,
             "overheads": 15}
