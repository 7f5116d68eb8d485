from django import forms
from django.utils.translation import gettext_lazy as _

from quiz.models import Assignment, Classroom, QuestionSet, StudentProfile
from quiz.roster import MAX_NAME


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
        classes = Classroom.objects.all()
        if not teacher.is_superuser:
            classes = classes.filter(teacher=teacher)
        self.fields["classroom"].queryset = classes
        self.fields["classroom"].required = True
        self.fields["classroom"].label = _("Class (move to)")
        self.fields["display_name"].max_length = MAX_NAME


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
        from quiz.roster import clean_display_name

        name = clean_display_name(self.cleaned_data["display_name"])
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Type your name with letters."), code="no_letters")
        return name
