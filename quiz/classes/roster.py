"""Making student accounts a child can type, from a pasted list of names."""

import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from quiz.core.models import Answer, Attempt, StudentProfile
from quiz.core.names import clean_display_name, name_key

MAX_NAME = 60
MAX_STUDENTS = 200
# Short, common, unambiguous words: easy to read off a slip and type.
WORDS = [
    "apple",
    "bird",
    "boat",
    "cake",
    "cloud",
    "crab",
    "desk",
    "drum",
    "duck",
    "fish",
    "flag",
    "frog",
    "gate",
    "goat",
    "hill",
    "kite",
    "lamp",
    "leaf",
    "lion",
    "moon",
    "nest",
    "owl",
    "pear",
    "pen",
    "pig",
    "rain",
    "ring",
    "road",
    "rock",
    "rose",
    "sand",
    "ship",
    "shoe",
    "snow",
    "star",
    "sun",
    "tent",
    "tiger",
    "toad",
    "tree",
    "van",
    "wave",
    "wolf",
    "yak",
    "zebra",
    "bell",
    "corn",
    "fox",
    "hat",
    "jam",
    "key",
    "map",
    "nut",
    "plum",
]
STUDENT_HASHER = "student_pbkdf2_sha256"


def make_student_password() -> str:
    choice = secrets.choice
    return f"{choice(WORDS)}-{choice(WORDS)}-{secrets.randbelow(90) + 10}"


def hash_student_password(password: str) -> str:
    return make_password(password, hasher=STUDENT_HASHER)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode().lower())


def username_for(display_name: str, taken) -> str:
    """'Ada Lovelace' → 'ada.l' (then 'ada.l2', ...); 'student' if nothing is typeable."""
    parts = [_ascii(part) for part in display_name.split()]
    parts = [p for p in parts if p]
    base = f"{parts[0][:12]}.{parts[-1][0]}" if len(parts) > 1 else (parts[0][:14] if parts else "")
    base = base or "student"
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        candidate = f"{base}{number}"
    return candidate


@dataclass
class NewStudent:
    display_name: str
    username: str
    password: str


@dataclass
class RosterResult:
    created: list[NewStudent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blank_lines: int = 0


def classmate_called(classroom, name: str) -> StudentProfile | None:
    """The student of this class who goes by `name`, if any."""
    key = name_key(name)
    students = StudentProfile.objects.filter(classroom=classroom).select_related("user")
    return next((p for p in students if name_key(p.display_name) == key), None)


def parse_names(text: str) -> tuple[list[tuple[int, str]], RosterResult]:
    result = RosterResult()
    names = []
    for number, raw in enumerate(text.splitlines(), start=1):
        name = clean_display_name(raw)
        if not name:
            result.blank_lines += 1
            continue
        if len(name) > MAX_NAME:
            result.problems.append(
                _("Line %(line)d is longer than %(max)d characters; not added: “%(start)s…”")
                % {"line": number, "max": MAX_NAME, "start": name[:30]}
            )
            continue
        if not any(ch.isalpha() for ch in name):
            result.problems.append(
                _("Line %(line)d (“%(name)s”) has no letters; not added.")
                % {"line": number, "name": name}
            )
            continue
        names.append((number, name))
    if len(names) > MAX_STUDENTS:
        result.problems.append(
            _("At most %(max)d students at a time; paste the rest separately.")
            % {"max": MAX_STUDENTS}
        )
        names = []
    return names, result


def create_student(display_name: str, classroom) -> NewStudent:
    User = get_user_model()
    username = username_for(
        display_name, lambda name: User.objects.filter(username__iexact=name).exists()
    )
    password = make_student_password()
    user = User.objects.create(username=username, password=hash_student_password(password))
    StudentProfile.objects.create(user=user, display_name=display_name, classroom=classroom)
    return NewStudent(display_name, username, password)


@transaction.atomic
def add_students(classroom, text: str) -> RosterResult:
    """Create an account per pasted name; explain every line that was not used."""
    names, result = parse_names(text)
    existing = {
        name_key(p.display_name): p
        for p in StudentProfile.objects.filter(classroom=classroom).select_related("user")
    }
    seen: dict[str, list[str]] = {}
    for number, name in names:
        key = name_key(name)
        if key in existing and key not in seen:
            result.problems.append(
                _(
                    "Line %(line)d: %(name)s is already in this class (username %(username)s); "
                    "not added again. Reset their password instead if they forgot it."
                )
                % {"line": number, "name": name, "username": existing[key].user.username}
            )
            continue
        student = create_student(name, classroom)
        result.created.append(student)
        seen.setdefault(key, []).append(student.username)
    for usernames in seen.values():
        if len(usernames) > 1:
            result.notes.append(
                _("%(count)d students share a name; their usernames are %(usernames)s.")
                % {"count": len(usernames), "usernames": ", ".join(usernames)}
            )
    return result


def reset_password(profile) -> NewStudent:
    password = make_student_password()
    profile.user.password = hash_student_password(password)
    profile.user.save(update_fields=["password"])
    return NewStudent(profile.display_name, profile.user.username, password)


@dataclass
class MergeResult:
    kept: str  # username
    removed: str  # username
    attempts_moved: int
    attempts_finished: int  # open attempts closed so that only one stays open per set


@transaction.atomic
def merge_students(keep: StudentProfile, merge: StudentProfile, now) -> MergeResult:
    """Move every attempt (with its answers) of `merge` to `keep`, then remove `merge`.

    A student may have only one open attempt per set: where both accounts have
    one at the same set, the older is finished first, as an abandoned sitting
    is (its unanswered questions time out, every answer given is kept).
    """
    if keep.pk == merge.pk:
        raise ValueError("A student cannot be merged into themselves.")
    # Locked in a fixed order, so that a sitting in progress waits for the merge.
    attempts = list(
        Attempt.objects.select_for_update()
        .filter(student__in=[keep.user_id, merge.user_id])
        .order_by("pk")
    )
    open_by_set: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        if attempt.finished_at is None:
            open_by_set.setdefault(attempt.question_set_id, []).append(attempt)
    finished = 0
    for open_attempts in open_by_set.values():
        for older in sorted(open_attempts, key=lambda a: (a.started_at, a.pk))[:-1]:
            Answer.objects.filter(attempt=older, answered_at__isnull=True).update(timed_out=True)
            older.finished_at = now
            older.save(update_fields=["finished_at"])
            finished += 1
    moved = Attempt.objects.filter(student_id=merge.user_id).update(student_id=keep.user_id)
    removed = merge.user.get_username()
    # Nothing of the student's is left on the account: its attempts have moved.
    merge.user.delete()
    return MergeResult(keep.user.get_username(), removed, moved, finished)
