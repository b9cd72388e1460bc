"""The community map: each ward's groups and assets, its gaps, its drop-ins, the support
a Coordinator gives groups (community level work), and the people connected to them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.audit.models import AuditEvent
from alongside.community.models import CommunityGap, CommunityGroup, DropIn, GroupSupport

from .forms import CodeChoiceField, DateField, GovukForm, GovukMixin, GovukModelForm
from .pages import query_id, render_page
from .recording import ActivityForm
from .versioned import VersionedForm, save_unless_changed
from .viewing import audited, group_seen


def groups_for(user):
    return scoping.scoped(user, CommunityGroup.objects.select_related("ward", "type"))


def group_or_404(user, pk: int) -> CommunityGroup:
    """Like person_or_404: another ward's group is simply not found."""
    scoping.require_identifiable(user)
    try:
        return groups_for(user).get(pk=pk)
    except CommunityGroup.DoesNotExist:
        raise Http404("No such group in your wards.") from None


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
    gaps = scoping.scoped(request.user, CommunityGap.objects.select_related("ward", "type", "filled_by"))
    drop_ins = scoping.scoped(request.user, DropIn.objects.select_related("ward"))
    return render_page(request, "front/community_map.html", {
        "wards": wards, "chosen": chosen, "groups": groups,
        "gaps": gaps.filter(ward__in=shown, filled_by__isnull=True),
        "drop_ins": drop_ins.filter(ward__in=shown, ended_on__isnull=True),
    })


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
    })


class GroupForm(GovukMixin, VersionedForm):
    type = CodeChoiceField("group_type", label=_l("Type"))

    class Meta:
        model = CommunityGroup
        fields = ["name", "ward", "type", "where", "when", "contact", "accessibility", "is_new",
                  "started_on", "active"]
        labels = {"name": _l("Name"), "where": _l("Where it meets"), "when": _l("When"),
                  "contact": _l("Contact"), "accessibility": _l("Accessibility"),
                  "is_new": _l("Started with LAC support"), "started_on": _l("Started on"),
                  "active": _l("Still running")}
        help_texts = {"accessibility": _l("Step-free access, hearing loop, toilets, cost…"),
                      "contact": _l("A public contact: a group e-mail or phone, not a home address."),
                      "is_new": _l("The group began with the Coordinator’s support.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"] = _ward_field(user)
        self.fields["started_on"] = DateField(label=_l("Started on"), required=False, today=False)


def _group_form(request, instance=None):
    scoping.require_identifiable(request.user)
    form = GroupForm(request.POST or None, instance=instance, user=request.user,
                     initial=None if instance else {"active": True})
    conflict = None
    if request.method == "POST" and form.is_valid():
        if instance is None:
            g = form.save()
        else:
            g = instance
            conflict = save_unless_changed(form, _last_group_change)
        if conflict is None:
            record(request, "update" if instance else "create", None, what="group", group=g.pk)
            messages.success(request, _("Group saved"))
            return redirect("group", g.pk)
    back = reverse("group", args=[instance.pk]) if instance else reverse("community_map")
    return render_page(request, "front/details.html", {
        "form": form, "conflict": conflict,
        "heading": _("Edit group") if instance else _("Add a group to the map"),
        "back": back,
    })


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
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save(None, request.user, group=g)
        record(request, "create", None, what="group activity", group=g.pk)
        messages.success(request, _("Saved"))
        return redirect("group", g.pk)
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Record community work with this group"), "caption": g.name,
        "back": reverse("group", args=[g.pk]),
    })


class GapForm(GovukForm):
    description = forms.CharField(label=_l("What is missing?"), max_length=300)
    type = CodeChoiceField("group_type", label=_l("Kind of group that would fill it"),
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
        CommunityGap.objects.create(recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("Gap noted"))
        return redirect("community_map")
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Note a gap in the community"),
        "back": reverse("community_map"),
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
