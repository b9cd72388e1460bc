from django.db import models

from .language import page_language


class Code(models.Model):
    """One value of a minimum-dataset code list, loaded from data/codelists.yaml."""

    list = models.CharField(max_length=40, db_index=True)
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    label_cy = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    attrs = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.CharField(max_length=20)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["list", "position"]
        constraints = [models.UniqueConstraint(fields=["list", "code"], name="code_unique_in_list")]

    def __str__(self) -> str:
        return self.local_label

    @property
    def local_label(self) -> str:
        """The label in the page's language: Welsh on a Welsh page when the code has one.
        Exports and the API keep `label` and `label_cy` apart and never use this."""
        if self.label_cy and page_language() == "cy":
            return self.label_cy
        return self.label

    @property
    def shown_code(self) -> str:
        """The code as people read it beside its label (PA1, A1, STO3), its heading's for a
        finer code (PA1 for PA1.loneliness), or "" for an internal name (home_visit)."""
        head = self.code.split(".")[0]
        return head if "_" not in head and head.upper() == head else ""

    @property
    def is_unknown(self) -> bool:
        """True for an explicit "not known", which data quality counts apart from missing."""
        return bool(self.attrs.get("unknown"))


def coded(list_name: str, **kwargs) -> models.ForeignKey:
    """A foreign key to one code list; PROTECT because records must stay decodable."""
    kwargs.setdefault("on_delete", models.PROTECT)
    kwargs.setdefault("related_name", "+")
    return models.ForeignKey(Code, limit_choices_to={"list": list_name}, **kwargs)
