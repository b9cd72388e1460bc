"""The community map: each ward's groups, its strengths as asset-based community development
(ABCD) maps them, its gaps, its drop-ins, the support a Coordinator gives groups (community
level work), and the people connected to them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.audit.models import AuditEvent
from alongside.codes.models import Code
from alongside.community.models import (
    CommunityAsset,
    CommunityGap,
    CommunityGroup,
    DropIn,
    GroupSupport,
)
from alongside.people.models import Person

from .forms import CodeChoiceField, DateField, GovukForm, GovukMixin, GovukModelForm
from .pages import query_id, render_page
from .recording import ActivityForm
from .versioned import VersionedForm, save_unless_changed
from .viewing import asset_seen, audited, group_seen


def groups_for(user):
    return scoping.scoped(user, CommunityGroup.objects.select_related("ward", "type"))


def group_or_404(user, pk: int) -> CommunityGroup:
    """Like person_or_404: another ward's group is simply not found."""
    scoping.require_identifiable(user)
    try:
        return groups_for(user).get(pk=pk)
    except CommunityGroup.DoesNotExist:
        raise Http404("No such group in your wards.") from None


def assets_for(user) -> QuerySet[CommunityAsset]:
    return scoping.scoped(user, CommunityAsset.objects.select_related("ward", "kind"))


def asset_or_404(user, pk: int) -> CommunityAsset:
    """Like group_or_404: another ward's asset is simply not found."""
    scoping.require_identifiable(user)
    try:
        return assets_for(user).get(pk=pk)
    except CommunityAsset.DoesNotExist:
        raise Http404("No such asset in your wards.") from None


def _ward_field(user, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(scoping.wards(user).order_by("name"), label=_l("Ward"),
                                  empty_label=None, **kwargs)


@login_required
def community_map(request):
    scoping.require_identifiable(request.user)
    wards = scoping.wards(request.user).order_by("name")
    ward_id = query_id(request.GET.get("ward"))
    chosen = wards.filter(pk=ward_id).first() if ward_id else None
    shown = [chosen] if chosen else list(wards)
    groups = (groups_for(request.user).filter(ward__in=shown)
              .annotate(people=Count("connections__person", distinct=True,
                                     filter=Q(connections__ended_on__isnull=True)),
                        support_given=Count("support", distinct=True))
              .order_by("ward__name", "-active", "name"))
    gaps = scoping.scoped(request.user, CommunityGap.objects.select_related(
        "ward", "type", "asset_kind", "filled_by"))
    drop_ins = scoping.scoped(request.user, DropIn.objects.select_related("ward"))
    return render_page(request, "front/community_map.html", {
        "wards": wards, "chosen": chosen, "groups": groups,
        "asset_kinds": _assets_by_kind(request.user, shown),
        "gaps": gaps.filter(ward__in=shown, filled_by__isnull=True),
        "drop_ins": drop_ins.filter(ward__in=shown, ended_on__isnull=True),
    })


def _assets_by_kind(user, wards: list) -> list[dict]:
    """The five ABCD kinds in the code list's order, each with its assets: a kind with none
    still shows, since an empty kind is itself something to notice."""
    # A count only: who is connected is on the asset's page, within the user's scope.
    assets = (assets_for(user).filter(ward__in=wards)
              .annotate(people=Count("connections__person", distinct=True,
                                     filter=Q(connections__ended_on__isnull=True,
                                              connections__person__in=scoping.people(user))))
              .order_by("ward__name", "-active", "name"))
    by_kind: dict[int, list] = {}
    for a in assets:
        by_kind.setdefault(a.kind_id, []).append(a)
    return [{"kind": k, "assets": by_kind.get(k.pk, [])}
            for k in Code.objects.filter(list="asset_kind", active=True).order_by("position")]


@login_required
@audited("group", group_seen)
def group(request, pk):
    g = group_or_404(request.user, pk)
    connections = (g.connections.filter(person__in=scoping.people(request.user))
                   .select_related("person").order_by("-made_on"))
    return render_page(request, "front/group.html", {
        "group": g,
        "support": g.support.select_related("kind", "coordinator").order_by("-given_on"),
        "connections": connections,
        "ripples": g.ripples.filter(person__in=scoping.people(request.user))
                    .select_related("person", "ripple"),
        "activities": g.activities.select_related("activity", "kind").order_by("-done_on")[:20],
        "stories": g.stories.all(),
        "assets": g.assets.select_related("kind").order_by("name"),
    })


class GroupForm(GovukMixin, VersionedForm):
    type = CodeChoiceField("group_type", label=_l("Type"))

    class Meta:
        model = CommunityGroup
        fields = ["name", "ward", "type", "where", "when", "contact", "accessibility", "offers",
                  "needs", "is_new", "started_on", "active"]
        labels = {"name": _l("Name"), "where": _l("Where it meets"), "when": _l("When"),
                  "contact": _l("Contact"), "accessibility": _l("Accessibility"),
                  "offers": _l("What the group offers"), "needs": _l("What the group needs"),
                  "is_new": _l("Started with LAC support"), "started_on": _l("Started on"),
                  "active": _l("Still running")}
        help_texts = {"accessibility": _l("Step-free access, hearing loop, toilets, cost…"),
                      "contact": _l("A public contact: a group e-mail or phone, not a home address."),
                      "offers": _l("Company, a meal, skills to share, a room others can use…"),
                      "needs": _l("Volunteers, a venue, funding, publicity…"),
                      "is_new": _l("The group began with the Coordinator’s support.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"] = _ward_field(user)
        self.fields["started_on"] = DateField(label=_l("Started on"), required=False, today=False)


def _map_form(request, form_class, instance, what: str, saved: str, headings: tuple[str, str]):
    """Add or edit a group or an asset: the same form handling, lost-update check and audit."""
    scoping.require_identifiable(request.user)
    form = form_class(request.POST or None, instance=instance, user=request.user,
                      initial=None if instance else {"active": True})
    conflict = None
    if request.method == "POST" and form.is_valid():
        if instance is None:
            if what == "asset":
                form.instance.recorded_by = request.user
            obj = form.save()
        else:
            obj = instance
            last = _last_group_change if what == "group" else _last_asset_change
            conflict = save_unless_changed(form, last)
        if conflict is None:
            record(request, "update" if instance else "create", None, what=what, **{what: obj.pk})
            messages.success(request, saved)
            return redirect(what, obj.pk)
    back = reverse(what, args=[instance.pk]) if instance else reverse("community_map")
    return render_page(request, "front/details.html", {
        "form": form, "conflict": conflict, "heading": headings[1] if instance else headings[0],
        "back": back,
    })


def _group_form(request, instance=None):
    return _map_form(request, GroupForm, instance, "group", _("Group saved"),
                     (_("Add a group to the map"), _("Edit group")))


def _last_group_change(group: CommunityGroup) -> AuditEvent | None:
    return (AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, detail__group=group.pk)
            .order_by("-id").first())


@login_required
def group_new(request):
    return _group_form(request)


@login_required
@audited("group form", group_seen)
def group_edit(request, pk):
    return _group_form(request, group_or_404(request.user, pk))


class SupportForm(GovukForm):
    kind = CodeChoiceField("group_support", label=_l("Support given"), widget=forms.RadioSelect)
    given_on = DateField(label=_l("Date"))
    note = forms.CharField(label=_l("Note"), widget=forms.Textarea, required=False)


@login_required
@audited("group support form", group_seen)
def group_support(request, pk):
    g = group_or_404(request.user, pk)
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        GroupSupport.objects.create(group=g, coordinator=request.user, **form.cleaned_data)
        record(request, "create", None, what="group support", group=g.pk)
        messages.success(request, _("Support recorded"))
        return redirect("group", g.pk)
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Record support to a group"), "caption": g.name,
        "back": reverse("group", args=[g.pk]),
    })


@login_required
@audited("group work form", group_seen)
def group_activity(request, pk):
    g = group_or_404(request.user, pk)
    form = ActivityForm(request.POST or None, user=request.user, group=g)
    if request.method == "POST" and form.is_valid():
        form.save(None, request.user, group=g)
        record(request, "create", None, what="group activity", group=g.pk)
        messages.success(request, _("Saved"))
        return redirect("group", g.pk)
    return render_page(request, form.template, {
        "form": form, "heading": _("Record community work with this group"), "caption": g.name,
        "back": reverse("group", args=[g.pk]),
    })


class GapForm(GovukForm):
    description = forms.CharField(label=_l("What is missing?"), max_length=300)
    type = CodeChoiceField("group_type", label=_l("Kind of group that would fill it"),
                           required=False)
    asset_kind = CodeChoiceField("asset_kind", label=_l("Kind of community strength missing"),
                                 required=False)
    noted_on = DateField(label=_l("Date"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"] = _ward_field(user)
        self.order_fields(["ward"])


@login_required
def gap_new(request):
    scoping.require_identifiable(request.user)
    form = GapForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        gap = CommunityGap.objects.create(recorded_by=request.user, **form.cleaned_data)
        record(request, "create", None, what="gap", gap=gap.pk)
        messages.success(request, _("Gap noted"))
        return redirect("community_map")
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Note a gap in the community"),
        "back": reverse("community_map"),
    })


class PersonReferenceField(forms.ModelChoiceField):
    """A person typed by their reference, not picked from a list of every name in scope."""

    widget = forms.TextInput

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("error_messages", {
            "invalid_choice": _l("Enter the reference of someone in your wards, like P-AB23CD4")})
        super().__init__(queryset, to_field_name="reference", **kwargs)

    def prepare_value(self, value):
        # The model's own value is the person's id; the page shows and posts the reference.
        if isinstance(value, int):
            return self.queryset.filter(pk=value).values_list("reference", flat=True).first() or ""
        return super().prepare_value(value)

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class AssetForm(GovukMixin, VersionedForm):
    kind = CodeChoiceField("asset_kind", label=_l("Kind of asset"), widget=forms.RadioSelect)

    class Meta:
        model = CommunityAsset
        fields = ["name", "ward", "kind", "offers", "where", "contact", "offered_by", "groups",
                  "noted_on", "active"]
        labels = {"name": _l("Name"), "offers": _l("What it offers"), "where": _l("Where"),
                  "contact": _l("Contact"), "active": _l("Still available")}
        help_texts = {
            "name": _l("For a person’s skill, name the skill (“Bike repairs”), not the person."),
            "where": _l("A public place, never a home address."),
            "contact": _l("A public contact: an organisation’s e-mail or phone, not a person’s own."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"] = _ward_field(user)
        self.fields["offered_by"] = PersonReferenceField(
            scoping.people(user), label=_l("Offered by (reference)"), required=False,
            help_text=_l("For an individual’s skill: the reference of the resident who offers it. "
                         "Their name stays on their own record."))
        self.fields["groups"] = forms.ModelMultipleChoiceField(
            groups_for(user).filter(active=True).order_by("ward__name", "name"),
            label=_l("Groups that use or run it"), required=False,
            widget=forms.CheckboxSelectMultiple)
        self.fields["noted_on"] = DateField(label=_l("Noted on"))
        self.order_fields(self._meta.fields)

    def clean(self):
        d = super().clean()
        ward = d.get("ward")
        if ward is None:
            return d
        person: Person | None = d.get("offered_by")
        if person is not None and person.ward_id != ward.pk:
            self.add_error("offered_by", _("They live in another ward: an asset is offered in "
                                           "its own ward"))
        if any(g.ward_id != ward.pk for g in d.get("groups") or ()):
            self.add_error("groups", _("Choose groups of the asset’s own ward"))
        return d


def _asset_form(request, instance=None):
    return _map_form(request, AssetForm, instance, "asset", _("Asset saved"),
                     (_("Add an asset to the map"), _("Edit asset")))


def _last_asset_change(asset: CommunityAsset) -> AuditEvent | None:
    return (AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, detail__asset=asset.pk)
            .order_by("-id").first())


@login_required
def asset_new(request):
    return _asset_form(request)


@login_required
@audited("asset form", asset_seen)
def asset_edit(request, pk):
    return _asset_form(request, asset_or_404(request.user, pk))


@login_required
@audited("asset", asset_seen)
def asset(request, pk):
    a = asset_or_404(request.user, pk)
    people = scoping.people(request.user)
    return render_page(request, "front/asset.html", {
        "asset": a,
        "offered_by": people.filter(pk=a.offered_by_id).first() if a.offered_by_id else None,
        "groups": groups_for(request.user).filter(assets=a).order_by("name"),
        "connections": (a.connections.filter(person__in=people)
                        .select_related("person").order_by("-made_on")),
    })


class DropInForm(GovukModelForm):
    class Meta:
        model = DropIn
        fields = ["ward", "venue", "when", "started_on"]
        labels = {"venue": _l("Venue"), "when": _l("When"), "started_on": _l("First session")}
        help_texts = {"when": _l("For example, Tuesdays 10am to 12 noon.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"] = _ward_field(user)
        self.fields["started_on"] = DateField(label=_l("First session"), past=False)


@login_required
def drop_in_new(request):
    scoping.require_identifiable(request.user)
    form = DropInForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Drop-in added"))
        return redirect("community_map")
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Add a drop-in session"), "back": reverse("community_map"),
    })
