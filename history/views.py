from itertools import groupby

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from history.forms import TimelineFilterForm
from history.models import Event, Person, Unit


@require_safe
def unit_list(request):
    units = list(Unit.objects.all())
    if len(units) == 1:
        return redirect(units[0])
    return render(request, "history/unit_list.html", {"units": units})


@require_safe
@vary_on_headers("HX-Request")
def timeline(request, slug):
    unit = get_object_or_404(Unit, slug=slug)
    form = TimelineFilterForm(request.GET or None, unit=unit)
    events = Event.objects.filter(unit=unit).select_related("place")
    person = None
    if form.is_valid() and form.cleaned_data["person"]:
        person = form.cleaned_data["person"]
        events = events.filter(people=person)
    years = [(year, list(group)) for year, group in groupby(events, key=lambda e: e.start.year)]
    template = "history/timeline.html"
    if request.htmx:
        template += "#timeline"
    return render(
        request,
        template,
        {"unit": unit, "form": form, "years": years, "person": person, "count": len(events)},
    )


@require_safe
def event_detail(request, slug, event_slug):
    event = get_object_or_404(
        Event.objects.select_related("unit", "place"), unit__slug=slug, slug=event_slug
    )
    roles = event.roles.select_related("person")
    return render(
        request, "history/event.html", {"event": event, "unit": event.unit, "roles": roles}
    )


@require_safe
def person_detail(request, slug, person_slug):
    person = get_object_or_404(
        Person.objects.select_related("unit"), unit__slug=slug, slug=person_slug
    )
    roles = person.roles.select_related("event").order_by("event__start_sort", "event__slug")
    return render(
        request,
        "history/person.html",
        {
            "person": person,
            "unit": person.unit,
            "roles": roles,
            "works": person.works.order_by("title"),
            "ideas": person.ideas.order_by("name"),
        },
    )
