"""The minimum dataset's record titles and field labels (minimum_dataset.yaml), named here so
that the Welsh catalogue has them; pages show them with `{% translate %}`. A test fails when
the specification gains a title or label that is not here."""

from django.utils.translation import gettext_lazy as _l

WORDS = [
    _l("Person"),
    _l("Introduction"),
    _l("Engagement"),
    _l("Activity"),
    _l("Exit"),
    _l("Outcome"),
    _l("Insulator"),
    _l("Reference"),
    _l("Ward"),
    _l("Coordinator"),
    _l("Age band"),
    _l("Gender"),
    _l("Ethnic group"),
    _l("Long-term condition"),
    _l("Relationship to services at introduction"),
    _l("Consent"),
    _l("Month and year of birth"),
    _l("Date of introduction"),
    _l("Route"),
    _l("Reasons"),
    _l("Level of support"),
    _l("Introducing organisation"),
    _l("Level"),
    _l("Status"),
    _l("Start"),
    _l("End"),
    _l("Activity"),
    _l("Date"),
    _l("Minutes"),
    _l("Finer type"),
    _l("Point of exit"),
    _l("Exit outcome"),
    _l("Person's response"),
    _l("Outcome"),
    _l("Evidence"),
    _l("Insulator"),
]
