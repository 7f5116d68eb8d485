from django import forms
from django.utils.translation import gettext_lazy as _

from quiz.core.models import Classroom
from quiz.core.models.live import CODE_DIGITS


class HostForm(forms.Form):
    classroom = forms.ModelChoiceField(
        label=_("Class"),
        queryset=Classroom.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your classes.")},
    )

    def __init__(self, *args, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = Classroom.objects.for_teacher(teacher)


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Game code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}
        ),
        error_messages={"required": _("Type the code on the screen.")},
    )

    def clean_code(self) -> str:
        # "123 456" and "123-456" as read off a projector are the same code.
        code = "".join(ch for ch in self.cleaned_data["code"] if not ch.isspace() and ch != "-")
        if not (code.isascii() and code.isdigit() and len(code) == CODE_DIGITS):
            raise forms.ValidationError(
                _("A game code is %(digits)d digits, as shown on the screen."),
                code="bad_code",
                params={"digits": CODE_DIGITS},
            )
        return code


class VersionForm(forms.Form):
    """The version of the game the host's screen showed when the button was pressed."""

    version = forms.IntegerField(min_value=0)
