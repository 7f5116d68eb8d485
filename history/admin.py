from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from history.admin_widgets import SafeAutocompleteMixin
from history.models import Event, EventRole, Idea, Person, Place, Source, Unit, Work


class DecadeFilter(admin.SimpleListFilter):
    title = _("decade")
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        years = Event.objects.values_list("start_sort", flat=True)
        decades = sorted({(sort_key // 10000) // 10 * 10 for sort_key in years})
        return [(str(d), f"{d}s") for d in decades]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            decade = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(start_sort__gte=decade * 10000, start_sort__lt=(decade + 10) * 10000)


class EventRoleInline(SafeAutocompleteMixin, admin.TabularInline):
    model = EventRole
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "event_count", "person_count"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(events=Count("event", distinct=True), people=Count("person", distinct=True))
        )

    @admin.display(description=_("events"), ordering="events")
    def event_count(self, obj):
        return obj.events

    @admin.display(description=_("people"), ordering="people")
    def person_count(self, obj):
        return obj.people


@admin.register(Event)
class EventAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "when", "place", "unit", "has_notes"]
    list_filter = ["unit", DecadeFilter, ("people", admin.RelatedOnlyFieldListFilter), "place"]
    search_fields = ["title", "summary", "notes", "people__name", "place__name"]
    list_select_related = ["place", "unit"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["place", "sources"]
    inlines = [EventRoleInline]
    fieldsets = [
        (None, {"fields": ["unit", "title", "slug", "summary"]}),
        (_("When and where"), {"fields": ["start", "end", "old_style", "place"]}),
        (_("Provenance"), {"fields": ["sources", "notes"]}),
    ]
    ordering = ["start_sort", "slug"]

    @admin.display(description=_("date"), ordering="start_sort")
    def when(self, obj):
        return obj.when

    @admin.display(description=_("notes"), boolean=True)
    def has_notes(self, obj):
        return bool(obj.notes)


@admin.register(Person)
class PersonAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "lifespan", "unit"]
    list_filter = ["unit"]
    search_fields = ["name", "aliases", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    fields = ["unit", "name", "slug", "aliases", "born", "died", "summary", "sources", "notes"]


@admin.register(Work)
class WorkAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "author", "published", "unit"]
    list_filter = ["unit"]
    search_fields = ["title", "summary", "author__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "sources"]


@admin.register(Idea)
class IdeaAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "unit"]
    list_filter = ["unit"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["people", "sources"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    # Pupils read the title; the file name is kept beside it, for teachers.
    list_display = ["title", "author", "year", "file"]
    search_fields = ["title", "author", "file", "url"]
    fields = ["title", "author", "year", "url", "file"]
