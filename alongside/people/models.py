from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.codes.language import language_field
from alongside.codes.models import coded


class PersonQuerySet(models.QuerySet):
    def current(self) -> "PersonQuerySet":
        """Without the records merged into another (people/merging.py), which stay only so that
        the merge can be undone and must not be counted twice, and those of an import undone
        (dataset/undo.py), which stay only because the audit trail names them."""
        return self.filter(merged_at__isnull=True, removed_at__isnull=True)


class Person(models.Model):
    """A citizen the Coordinator walks alongside. Never a "client" or a "case".

    `reference` is the pseudonymous identifier used everywhere outside the
    Coordinator's own pages; names, birth month and postcode are the
    identifiable fields that only practitioners may see.
    """

    IDENTIFIABLE_FIELDS = ("given_name", "family_name", "birth_month", "postcode", "phone")

    reference = models.CharField(max_length=12, unique=True)
    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="people")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="people", help_text="The Coordinator walking alongside this person.",
    )
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80, blank=True)
    birth_month = models.DateField(null=True, blank=True, help_text="First day of the birth month.")
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    # The Welsh Language Standards ask a council to record the language a person prefers.
    preferred_language = language_field(help_text="The language they prefer to be spoken and written to in.")
    age_band = coded("age_band", null=True, blank=True)
    gender = coded("gender", null=True, blank=True)
    ethnicity = coded("ethnicity", null=True, blank=True)
    long_term_condition = coded("yes_no_unknown", null=True, blank=True)
    relationship_to_services = coded("relationship_to_services", null=True, blank=True)
    relationship_type = coded("relationship_type", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every save through a form, so that a save from an older version is refused
    # (front/versioned.py).
    version = models.PositiveIntegerField(default=1, db_default=1)
    # Set when the identifiers were removed (a request to erase, or the retention rule); the
    # coded, anonymous facts stay for the evidence.
    erased_on = models.DateField(null=True, blank=True)
    # Set while this record is merged into another (PersonMerge): it then counts nowhere.
    merged_at = models.DateTimeField(null=True, blank=True)
    # Set when the import that brought this person in was undone: their records are gone and
    # their identifiers blank; the row stays because the audit trail names it.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["ward", "coordinator"])]

    def __str__(self) -> str:
        # once erased, the reference is all that is left to call them by
        return f"{self.given_name} {self.family_name}".strip() or self.reference


class ConsentRecord(models.Model):
    """Consent and lawful basis, kept as a history: the latest row is in force."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    status = coded("consent_status")
    lawful_basis = coded("lawful_basis")
    special_category_condition = coded("lawful_basis", null=True, blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]


class PersonMerge(models.Model):
    """A manager's merge of a person recorded twice: `duplicate`'s records were moved to `kept`.

    `moved` lists exactly which rows moved ({"app.Model.field": [ids]}), so that an undo moves
    those rows back and no others (records added to the kept person since stay with them)."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_as_duplicate")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    moved = models.JSONField(default=dict, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]


class PersonAlias(models.Model):
    """An old reference of a person, kept when their duplicate record was merged into them:
    a reference written down before the merge still finds them."""

    reference = models.CharField(max_length=12, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    merge = models.OneToOneField(PersonMerge, on_delete=models.CASCADE, related_name="alias")

    def __str__(self) -> str:
        return self.reference
