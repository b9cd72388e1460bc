from django.db import models


class Council(models.Model):
    """A council running Local Area Coordination: one site of the network."""

    name = models.CharField(max_length=120, unique=True)
    ons_code = models.CharField("ONS local authority code", max_length=9, unique=True)
    nation = models.CharField(max_length=10, choices=[("england", "England"), ("wales", "Wales")])
    shares_with_network = models.BooleanField(
        default=False, help_text="Has agreed to share pseudonymised data with the LAC Network."
    )

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
