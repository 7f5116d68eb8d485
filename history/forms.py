from django import forms
from django.utils.translation import gettext_lazy as _

from history.models import Person


class TimelineFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Everyone"),
        to_field_name="slug",
        label=_("Show events involving"),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit=unit).order_by("name")
