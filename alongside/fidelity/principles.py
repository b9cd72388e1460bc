"""The ten principles of Local Area Coordination, as the LAC Network names them, and the scale a
site rates itself on against each."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _l


@dataclass(frozen=True)
class Principle:
    key: str
    name: Promise
    summary: Promise


PRINCIPLES = [
    Principle("citizenship", _l("Citizenship"),
              _l("Everyone who lives in the area is welcome: no eligibility but where they live.")),
    Principle("relationships", _l("Relationships"),
              _l("Time to build a trusting relationship with each person and family.")),
    Principle("natural_authority", _l("Natural authority"),
              _l("People and families are the experts in their own lives and can ask for themselves.")),
    Principle("lifelong_learning", _l("Lifelong learning"),
              _l("Everyone has gifts, skills and experience to build on and to share.")),
    Principle("information", _l("Information"),
              _l("Accurate, timely and relevant information for everyone who asks.")),
    Principle("choice_and_control", _l("Choice and control"),
              _l("People decide what a good life is and plan how to get there.")),
    Principle("community", _l("Community"),
              _l("Communities are the first place to look, and the Coordinator helps them grow.")),
    Principle("contribution", _l("Contribution"),
              _l("People give back to their community as well as receiving.")),
    Principle("working_together", _l("Working together"),
              _l("Partnership with people, communities and services to change how the system works.")),
    Principle("complementary_services", _l("Complementary nature of services"),
              _l("LAC adds to services rather than replacing them, and walks alongside for as long "
                 "as it helps, then steps back.")),
]
BY_KEY = {p.key: p for p in PRINCIPLES}

# A four-point scale: an even number, so a site cannot settle on the middle.
RATINGS = [
    (1, _l("Not yet in place")),
    (2, _l("Developing")),
    (3, _l("Established")),
    (4, _l("Embedded")),
]
RATING_HINTS = {
    1: _l("The principle is not yet visible in how the site works."),
    2: _l("Some Coordinators or some of the time; the site is working on it."),
    3: _l("How the site usually works, with the records to show it."),
    4: _l("How the site always works; partners notice it and the records show it every quarter."),
}
