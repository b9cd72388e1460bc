from django.conf import settings
from django.db import models

from alongside.codes.models import Code

KINDS = [
    ("input", "Inputs and resources"),
    ("problem", "Problems addressed"),
    ("interim_activity", "Interim activities"),
    ("activity", "Activities"),
    ("output", "Outputs"),
    ("short_outcome", "Short-term outcomes"),
    ("medium_outcome", "Medium-term outcomes"),
]
# Which code list an element of each kind may be tied to, so the model and the data share words.
CODE_LISTS = {"problem": ["problem"], "activity": ["activity"],
              "short_outcome": ["outcome", "insulator"], "medium_outcome": ["outcome", "insulator"]}


class LogicModel(models.Model):
    """One version of a site's logic model. A change makes a new version; none is edited in place,
    so a report can say which model it was read against."""

    council = models.ForeignKey("places.Council", on_delete=models.CASCADE, related_name="logic_models")
    version = models.PositiveIntegerField()
    valid_from = models.DateField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed in this version.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "-version"]
        constraints = [models.UniqueConstraint(fields=["council", "version"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.council} logic model v{self.version}"


class Element(models.Model):
    model = models.ForeignKey(LogicModel, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=20, choices=KINDS)
    text = models.CharField(max_length=300)
    code = models.ForeignKey(Code, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.code.code} {self.text}" if self.code else self.text


class Link(models.Model):
    """"This leads to that", as the team believes it; the evidence is counted, not stored."""

    model = models.ForeignKey(LogicModel, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="links_in")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "source", "target"], name="one_link")]
