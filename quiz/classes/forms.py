from django import forms
from django.utils.translation import gettext_lazy as _

from quiz.classes.roster import MAX_NAME, classmate_called
from quiz.core.models import Assignment, Classroom, QuestionSet, StudentProfile
from quiz.core.names import clean_display_name, with_username
from quiz.core.zones import note_zone_on


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]

    def __init__(self, *args, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher = teacher

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Classroom.objects.filter(teacher=self.teacher, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("You already have a class called %(name)s.") % {"name": name}
            )
        return name


class RosterForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one per line"),
        widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off", "spellcheck": "false"}),
        max_length=20_000,
        help_text=_("Paste from a spreadsheet or type them. Blank lines are skipped."),
    )


class StudentForm(forms.ModelForm):
    class Meta:
        model = StudentProfile
        fields = ["display_name", "classroom", "extra_time"]

    def __init__(self, *args, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = Classroom.objects.for_teacher(teacher)
        self.fields["classroom"].required = True
        self.fields["classroom"].label = _("Class (move to)")
        self.fields["display_name"].max_length = MAX_NAME

    def clean_display_name(self):
        # The rule the roster and the join page follow: no control characters, single spaces.
        name = clean_display_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Type the student's name."), code="blank")
        return name


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["question_set", "opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.classroom = classroom
        self.fields["question_set"].queryset = QuestionSet.objects.filter(published=True).exclude(
            assignments__classroom=classroom
        )
        self.fields["question_set"].label = _("Question set")
        self.fields["question_set"].empty_label = _("Choose a published set")
        note_zone_on(self.fields)


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=MAX_NAME,
        help_text=_("First name and the first letter of your surname is enough."),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "")
        classroom = Classroom.objects.filter(join_code=code, joining_open=True).first()
        if classroom is None:
            raise forms.ValidationError(
                _("No class is taking new students with that code. Check it with your teacher."),
                code="unknown_code",
            )
        self.classroom = classroom
        return code

    def clean_display_name(self):
        name = clean_display_name(self.cleaned_data["display_name"])
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Type your name with letters."), code="no_letters")
        return name

    def clean(self):
        cleaned = super().clean()
        classroom, name = getattr(self, "classroom", None), cleaned.get("display_name")
        if classroom is not None and name and classmate_called(classroom, name) is not None:
            # A second account would split the student's results; if it really
            # is someone else of the same name, the teacher adds them.
            self.add_error(
                "display_name",
                forms.ValidationError(
                    _(
                        "Someone called %(name)s is already in this class. If that is you, "
                        "sign in with the username and password on your sign-in slip. "
                        "Lost it, or not you? Ask your teacher."
                    ),
                    code="name_taken",
                    params={"name": name},
                ),
            )
        return cleaned


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return with_username(obj.display_name, obj.user.get_username())


class MergeStudentsForm(forms.Form):
    """Two accounts of one student in a class: which to keep, which to merge into it."""

    keep = StudentChoiceField(queryset=StudentProfile.objects.none(), label=_("Keep"))
    merge = StudentChoiceField(
        queryset=StudentProfile.objects.none(), label=_("Merge into it and remove")
    )
    # Set by the confirmation page: without it the POST only shows what would happen.
    # Only this exact value merges: a stray value must not remove an account.
    confirmed = forms.ChoiceField(
        choices=[("", ""), ("yes", "yes")],
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Confirm the merge on the page that checks it.")},
    )

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, **kwargs)
        students = StudentProfile.objects.filter(
            classroom=classroom, user__is_staff=False
        ).select_related("user")
        for name in ("keep", "merge"):
            self.fields[name].queryset = students
            self.fields[name].empty_label = _("Choose a student")

    def clean(self):
        cleaned = super().clean()
        keep, merge = cleaned.get("keep"), cleaned.get("merge")
        if keep is not None and keep == merge:
            raise forms.ValidationError(
                _("Choose two different accounts: one to keep and one to merge into it."),
                code="same_student",
            )
        return cleaned
