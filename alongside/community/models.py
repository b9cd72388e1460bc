from django.conf import settings
from django.db import models

from alongside.codes.models import coded


class CommunityGroup(models.Model):
    """A community group on the ward's community map."""

    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=160)
    type = coded("group_type")
    is_new = models.BooleanField(default=False, help_text="Started with LAC support.")
    started_on = models.DateField(null=True, blank=True)
    where = models.CharField(max_length=200, blank=True)
    when = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    accessibility = models.TextField(blank=True)
    # What the group brings to the ward and what would help it: the map shows both, so a
    # Coordinator can match one group's offer to another's need.
    offers = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    # See Person.version: no lost updates when two Coordinators edit a group.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityAsset(models.Model):
    """One of the ward's strengths as asset-based community development (ABCD) maps them:
    an individual's skill offered, an association, a local institution, a building or space,
    an economic asset."""

    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="assets")
    kind = coded("asset_kind")
    name = models.CharField(max_length=160)
    offers = models.TextField(blank=True)
    where = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    # The resident whose skill this is: a link, never their name in the text above, so the
    # asset is seen only within the person's scope and their erasure reaches it.
    offered_by = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="assets_offered")
    groups = models.ManyToManyField(CommunityGroup, blank=True, related_name="assets")
    active = models.BooleanField(default=True)
    noted_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # See Person.version.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupSupport(models.Model):
    """Community-level support a Coordinator gave a group."""

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="support")
    kind = coded("group_support")
    given_on = models.DateField()
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)


class DropIn(models.Model):
    """A regular drop-in session the Coordinator holds in the ward."""

    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="drop_ins")
    venue = models.CharField(max_length=160)
    when = models.CharField(max_length=120)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)


class CommunityGap(models.Model):
    """Something the ward lacks, noted on the community map so it can be built."""

    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="gaps")
    description = models.CharField(max_length=300)
    type = coded("group_type", null=True, blank=True)
    # Which of the ward's kinds of strength is missing, so gaps sit on the asset map.
    asset_kind = coded("asset_kind", null=True, blank=True)
    noted_on = models.DateField()
    filled_by = models.ForeignKey(CommunityGroup, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="gaps_filled")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-noted_on", "-id"]
