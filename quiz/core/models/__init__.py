"""Every model of the app, under the label "quiz" (tables and migrations unchanged).

One module a domain; import them from here.
"""

from .accounts import SignInThrottle
from .attempts import POINTS, Answer, Attempt
from .classes import Assignment, Classroom, ExtraTime, StudentProfile
from .live import LiveGame, LivePhase
from .questions import Kind, Option, Question
from .sets import Feedback, LeaderboardNames, QuestionSet, QuestionSetQuerySet, Scoring, SetQuestion

__all__ = [
    "POINTS",
    "Answer",
    "Assignment",
    "Attempt",
    "Classroom",
    "ExtraTime",
    "Feedback",
    "Kind",
    "LeaderboardNames",
    "LiveGame",
    "LivePhase",
    "Option",
    "Question",
    "QuestionSet",
    "QuestionSetQuerySet",
    "Scoring",
    "SetQuestion",
    "SignInThrottle",
    "StudentProfile",
]
