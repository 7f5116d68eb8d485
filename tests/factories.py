import factory
from django.contrib.auth import get_user_model

from history.dates import PartialDate
from history.models import Event, EventRole, Person, Place, Role, Source, Unit
from quiz.core.models import (
    Assignment,
    Classroom,
    Feedback,
    Kind,
    Option,
    Question,
    QuestionSet,
    Scoring,
    SetQuestion,
    StudentProfile,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class StudentFactory(UserFactory):
    """A student; pass classroom=... to put them in a class (with a profile)."""

    username = factory.Sequence(lambda n: f"student{n}")

    @factory.post_generation
    def classroom(self, create, extracted, **kwargs):
        if create and extracted is not None:
            StudentProfile.objects.update_or_create(
                user=self,
                defaults={
                    "classroom": extracted,
                    "display_name": self.get_full_name() or self.username,
                    **kwargs,
                },
            )


class TeacherFactory(UserFactory):
    """A teacher: staff in the Teachers group, not a superuser."""

    username = factory.Sequence(lambda n: f"teacher{n}")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            from quiz.core.apps import TEACHERS_GROUP, ensure_teachers_group

            ensure_teachers_group()
            self.groups.add(Group.objects.get(name=TEACHERS_GROUP))


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Unit {n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")
    summary = "A unit for tests."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["file"]

    title = "Web pages about Trotsky and Stalin (collected scrape)"
    file = "000_1d8253ec5883a8d2.txt"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Place {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    summary = "Someone in the unit."
    born = factory.Sequence(lambda n: PartialDate(1850 + n % 40))
    died = None


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "Something happened."
    start = factory.Sequence(lambda n: PartialDate(1900 + n % 40, 1 + n % 12, 1 + n % 28))


class EventRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRole

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..event.unit"))
    role = Role.PARTICIPANT


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    unit = factory.SubFactory(UnitFactory)
    kind = Kind.MULTIPLE_CHOICE
    prompt = factory.Sequence(lambda n: f"Who did thing number {n}?")
    explanation = "Because the sources say so."


def multiple_choice(unit=None, *, correct="Leon Trotsky", wrong=("Lenin", "Stalin", "Kamenev")):
    question = QuestionFactory(unit=unit or UnitFactory())
    texts = [correct, *wrong]
    for position, text in enumerate(sorted(texts)):
        Option.objects.create(
            question=question, text=text, position=position, is_correct=text == correct
        )
    return question


def year_question(unit=None, *, year=1917, tolerance=2):
    return QuestionFactory(
        unit=unit or UnitFactory(),
        kind=Kind.YEAR,
        prompt="In which year did the Bolsheviks take power in Petrograd?",
        answer_year=year,
        tolerance=tolerance,
    )


def chronology(unit=None, *, titles=("First", "Second", "Third", "Fourth")):
    question = QuestionFactory(
        unit=unit or UnitFactory(), kind=Kind.CHRONOLOGY, prompt="Put these in order."
    )
    # Shown in reverse so the display order never gives the answer away.
    for place, text in enumerate(titles, start=1):
        Option.objects.create(
            question=question, text=text, position=len(titles) - place, correct_position=place
        )
    return question


class QuestionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionSet

    title = factory.Sequence(lambda n: f"Quiz {n}")
    unit = factory.SubFactory(UnitFactory)
    seconds_per_question = 30
    shuffle = False
    published = True
    attempts_allowed = 0
    feedback = Feedback.EACH
    scoring = Scoring.ACCURACY


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    name = factory.Sequence(lambda n: f"Class {n}")
    teacher = factory.SubFactory(TeacherFactory)
    join_code = factory.Sequence(lambda n: f"CODE{n:04d}")


def question_set_with(questions, *, assign_to=None, **kwargs):
    """A set of these questions, assigned to the classroom(s) in `assign_to`."""
    question_set = QuestionSetFactory(unit=questions[0].unit, **kwargs)
    for position, question in enumerate(questions):
        SetQuestion.objects.create(question_set=question_set, question=question, position=position)
    classrooms = assign_to if isinstance(assign_to, list | tuple) else [assign_to]
    for classroom in filter(None, classrooms):
        Assignment.objects.create(question_set=question_set, classroom=classroom)
    return question_set
