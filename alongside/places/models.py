from django.db import models

from alongside.codes.language import LANGUAGES


class Council(models.Model):
    """A council running Local Area Coordination: one site of the network."""

    name = models.CharField(max_length=120, unique=True)
    name_cy = models.CharField("Name in Welsh", max_length=120, blank=True)
    ons_code = models.CharField("ONS local authority code", max_length=9, unique=True)
    nation = models.CharField(max_length=10, choices=[("england", "England"), ("wales", "Wales")])
    shares_with_network = models.BooleanField(
        default=False, help_text="Has agreed to share pseudonymised data with the LAC Network."
    )
    # A Welsh council may make Welsh the language its staff see first (each person can still
    # switch); the Welsh Language Standards ask that Welsh be treated no less favourably.
    first_language = models.CharField(max_length=2, choices=LANGUAGES, default="en", db_default="en")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An electoral ward: the patch of one Local Area Coordinator."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=120)
    ons_code = models.CharField("ONS ward code", max_length=9, unique=True)
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["council__name", "name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeCost(models.Model):
    """What a council's LAC programme costs in one financial year: the figures a finance officer
    supplies so that the balance sheet and SROI have an investment to set against."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="programme_costs")
    year = models.CharField("Financial year", max_length=7, help_text="For example 2025/26")
    coordinator_fte = models.DecimalField("Coordinators (full-time equivalent)", max_digits=6,
                                          decimal_places=2)
    salary = models.DecimalField("Coordinator salary (£ a year, full time)", max_digits=9,
                                 decimal_places=2)
    on_costs = models.DecimalField("On-costs (% of salary)", max_digits=5, decimal_places=2,
                                   help_text="Employer's National Insurance and pension")
    management = models.DecimalField("Management (£)", max_digits=10, decimal_places=2, default=0)
    venues = models.DecimalField("Venues and activities (£)", max_digits=10, decimal_places=2, default=0)
    overheads = models.DecimalField("Overheads (% of staff costs)", max_digits=5, decimal_places=2,
                                    default=0)
    source = models.CharField(max_length=200, blank=True,
                              help_text="Where the figures come from, e.g. the 2025/26 budget report")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="one_cost_per_year")]
