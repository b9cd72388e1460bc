"""A site's logic model: kept by its team in the recording's own codes, versioned, drawn, and
each link checked against the records. Network analysts see every sharing site's models merged."""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from alongside import scoping
from alongside.accounts.models import Role
from alongside.codes.models import Code
from alongside.evidence.disclosure import suppress
from alongside.logic_models.diagram import diagram_svg
from alongside.logic_models.evidence import evidence_by_council, link_evidence
from alongside.logic_models.models import CODE_LISTS, KINDS, LogicModel
from alongside.logic_models.versions import as_data, current, save_version, start_from_study
from alongside.operations import replica
from alongside.places.models import Council

from .forms import GovukForm
from .pages import query_id, render_page

LIST_TITLES = {"problem": _l("Problems"), "activity": _l("Activities"), "outcome": _l("Outcomes"),
               "insulator": _l("Insulators")}


def _council(request) -> Council:
    """The user's own council; an analyst chooses among the sites sharing with the Network."""
    user = request.user
    if user.role == Role.ANALYST:
        councils = scoping.aggregate_councils(user)
        chosen = request.GET.get("council")
        council = councils.filter(pk=query_id(chosen)).first() if query_id(chosen) else councils.first()
        if council is None:
            raise Http404("No site shares its logic model with you.")
        return council
    if user.role in (Role.COORDINATOR, Role.MANAGER, Role.COMMISSIONER) and user.council_id:
        return user.council
    raise PermissionDenied("This role has no site.")


def _evidence_text(ev) -> str:
    if not ev.countable:
        return _("not measured from the records")
    if ev.of == 0:
        return _("no recorded evidence yet: nobody has the first step")
    if ev.supported == 0:
        return _("no recorded evidence yet: 0 of %(of)s people") % {"of": suppress(ev.of)}
    shown = suppress(ev.supported)
    share = "" if shown.startswith("<") else f" ({round(100 * ev.supported / ev.of)}%)"
    return _("%(n)s of %(of)s people%(share)s") % {"n": shown, "of": suppress(ev.of), "share": share}


@login_required
@replica.reads
def logic_model(request):
    council = _council(request)
    versions = list(LogicModel.objects.filter(council=council))
    chosen = request.GET.get("version")
    model = next((v for v in versions if str(v.version) == chosen), versions[0] if versions else None)
    context = {"council": council, "versions": versions, "model": model,
               "can_edit": request.user.role == Role.MANAGER, "sharing": []}
    if request.user.role == Role.ANALYST:
        context["sharing"] = scoping.aggregate_councils(request.user)
    if model:
        wards = scoping.aggregate_wards(request.user).filter(council=council)
        elements = list(model.elements.select_related("code"))
        links = list(model.links.select_related("source__code", "target__code"))
        evidence = {lk.pk: link_evidence(lk, wards) for lk in links}
        out = defaultdict(list)
        for lk in links:
            out[lk.source_id].append({"target": lk.target, "evidence": _evidence_text(evidence[lk.pk]),
                                      "supported": evidence[lk.pk].countable and evidence[lk.pk].supported})
        context["columns"] = [{"title": title, "elements": [{"element": e, "links": out.get(e.pk, [])}
                                                            for e in elements if e.kind == kind]}
                              for kind, title in KINDS if any(e.kind == kind for e in elements)]
        context["svg"] = mark_safe(diagram_svg(elements, links, evidence,  # noqa: S308 - escaped inside
                                               f"{council} logic model, version {model.version}"))
        context["unsupported"] = sum(1 for e in evidence.values() if not (e.countable and e.supported))
        context["link_count"] = len(links)
    return render_page(request, "front/logic_model.html", context)


@login_required
@require_POST
def start(request):
    if request.user.role != Role.MANAGER:
        raise PermissionDenied("Only the site's manager keeps its logic model.")
    if current(request.user.council) is None:
        start_from_study(request.user.council, request.user)
        messages.success(request, _("Logic model started from the study's model"))
    return redirect("logic_model")


def _code_choices():
    groups = defaultdict(list)
    for c in Code.objects.filter(list__in=LIST_TITLES).order_by("list", "position"):
        groups[c.list].append((str(c.pk), f"{c.code} {c.local_label}"))
    return [("", "—")] + [(str(LIST_TITLES[k]), groups[k]) for k in LIST_TITLES if groups[k]]


class ElementForm(GovukForm):
    kind = forms.ChoiceField(label=_l("Column"), choices=KINDS)
    code = forms.ChoiceField(label=_l("Code used in recording"), required=False)
    text = forms.CharField(label=_l("Words (blank: the code's own)"), required=False, max_length=300)
    remove = forms.BooleanField(label=_l("Remove"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = _code_choices()

    def clean(self):
        d = super().clean()
        code = Code.objects.filter(pk=d["code"]).first() if d.get("code") else None
        if code and code.list not in CODE_LISTS.get(d.get("kind"), []):
            self.add_error("code", _("A %(list)s code does not belong in this column") % {"list": code.list})
        d["code_obj"] = code
        return d


class LinkForm(GovukForm):
    source = forms.ChoiceField(label=_l("From"), required=False)
    target = forms.ChoiceField(label=_l("Leads to"), required=False)
    remove = forms.BooleanField(label=_l("Remove"), required=False)

    def __init__(self, *args, elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        def name(i, e):
            return f"{i}. " + (f"{e['code'].code} {e['text']}" if e["code"] else e["text"])
        choices = [("", "—")] + [(str(i), name(i, e)) for i, e in enumerate(elements)]
        self.fields["source"].choices = self.fields["target"].choices = choices


@login_required
def edit(request):
    if request.user.role != Role.MANAGER:
        raise PermissionDenied("Only the site's manager keeps its logic model.")
    council = request.user.council
    model = current(council)
    if model is None:
        return redirect("logic_model")
    elements, links = as_data(model)
    data = request.POST or None
    ef = forms.formset_factory(ElementForm, extra=3)(
        data, prefix="element",
        initial=[{"kind": e["kind"], "code": str(e["code"].pk) if e["code"] else "", "text": e["text"]}
                 for e in elements])
    lf = forms.formset_factory(LinkForm, extra=3)(
        data, prefix="link", form_kwargs={"elements": elements},
        initial=[{"source": str(s), "target": str(t)} for s, t in links])
    ef.heading, ef.item = _("Elements"), _("Element")
    lf.heading, lf.item = _("Links"), _("Link")
    lf.hint = _("What the team believes leads to what. New elements can be linked after saving.")
    note = forms.CharField(max_length=300, required=False)
    if request.method == "POST" and ef.is_valid() and lf.is_valid():
        kept, new_index = [], {}
        for i, f in enumerate(ef):
            d = f.cleaned_data
            if not d or d.get("remove") or not (d.get("code_obj") or d.get("text")):
                continue
            new_index[i] = len(kept)
            kept.append({"kind": d["kind"], "text": d.get("text", ""), "code": d.get("code_obj")})
        pairs = []
        for f in lf:
            d = f.cleaned_data
            if d and not d.get("remove") and d.get("source") and d.get("target"):
                s, t = int(d["source"]), int(d["target"])
                if s in new_index and t in new_index:
                    pairs.append((new_index[s], new_index[t]))
        saved = save_version(council, kept, pairs, request.user, note.clean(request.POST.get("note", "")))
        messages.success(request, _("Saved as version %(v)s") % {"v": saved.version})
        return redirect("logic_model")
    return render_page(request, "front/logic_model_edit.html", {
        "formsets": [ef, lf], "model": model, "note": request.POST.get("note", "")})


@login_required
@replica.reads
def network(request):
    """Every sharing site's current model, merged on the codes they have in common."""
    if request.user.role != Role.ANALYST:
        raise PermissionDenied("The merged view is for Network analysts.")
    wards = scoping.aggregate_wards(request.user)
    drawn = defaultdict(list)  # (source code, target code) → councils whose model draws it
    local = []
    for council in scoping.aggregate_councils(request.user):
        model = current(council)
        if model is None:
            continue
        for lk in model.links.select_related("source__code", "target__code"):
            if lk.source.code and lk.target.code and lk.target.code.list != "problem":
                drawn[(lk.source.code, lk.target.code)].append(council)
        local += [(council.name, e) for e in model.elements.filter(code__isnull=True)]
    rows = []
    for (a, b), councils in drawn.items():
        # Counted once for every sharing site, then pooled over the sites that draw the link.
        per = evidence_by_council(a, b, wards)
        chosen = [per[c.pk] for c in councils if c.pk in per]
        rows.append({"source": a, "target": b, "sites": sorted(c.name for c in councils),
                     "supported": suppress(sum(e.supported for e in chosen)),
                     "of": suppress(sum(e.of for e in chosen))})
    rows.sort(key=lambda r: (-len(r["sites"]), r["source"].code, r["target"].code))
    return render_page(request, "front/logic_model_network.html", {"rows": rows, "local": local})
