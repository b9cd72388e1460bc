from django.db import models


class LegacyKey(models.Model):
    """A council's own ID for a person in a legacy system, so that importing the same
    spreadsheet again finds them instead of creating them twice."""

    council = models.ForeignKey("places.Council", on_delete=models.CASCADE, related_name="+")
    system = models.CharField(max_length=80, help_text="The legacy system, as named in the mapping file.")
    key = models.CharField(max_length=80)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="legacy_keys")
    imported_at = models.DateTimeField(auto_now_add=True)
    # The import that brought the person in, so that it can be undone as a whole.
    import_job = models.ForeignKey("operations.Job", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "system", "key"],
                                               name="legacy_key_unique_in_system")]


class LegacyContact(models.Model):
    """A council's own ID for one contact in a legacy system's contact log, so that importing the
    same log again adds nothing."""

    council = models.ForeignKey("places.Council", on_delete=models.CASCADE, related_name="+")
    system = models.CharField(max_length=80)
    key = models.CharField(max_length=80)
    activity = models.OneToOneField("journeys.Activity", on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    import_job = models.ForeignKey("operations.Job", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "system", "key"],
                                               name="legacy_contact_unique_in_system")]


class SavedMapping(models.Model):
    """A mapping file built in the browser (or kept from one), saved under a name for its council
    so that next year's spreadsheet from the same system goes through it again."""

    council = models.ForeignKey("places.Council", on_delete=models.CASCADE, related_name="saved_mappings")
    name = models.CharField(max_length=120)
    yaml = models.TextField(help_text="The mapping file, as legacy.Mapping reads it.")
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council__name", "name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"],
                                               name="saved_mapping_unique_in_council")]

    def __str__(self) -> str:
        return self.name


class LegacyGroup(models.Model):
    """A council's own ID for a community group in a legacy list, so that importing the list again
    adds no group twice, and the import that brought it in can be undone."""

    council = models.ForeignKey("places.Council", on_delete=models.CASCADE, related_name="+")
    system = models.CharField(max_length=80)
    key = models.CharField(max_length=80)
    group = models.OneToOneField("community.CommunityGroup", on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    import_job = models.ForeignKey("operations.Job", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "system", "key"],
                                               name="legacy_group_unique_in_system")]
