"""How a person is named on every page and in every CSV: one rule, used everywhere.

A student's name is the one the teacher typed into the roster (or the student
gave when joining), kept on their StudentProfile; their User has no first or
last name. Anyone without a profile (a teacher trying a set) falls back to the
account's full name, then its username.
"""

import unicodedata
from collections import Counter

from django.utils.translation import gettext as _


def name_of(user) -> str:
    # A missing reverse one-to-one raises an AttributeError subclass, so getattr's
    # default covers teachers; select_related("student_profile") avoids a query.
    profile = getattr(user, "student_profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.get_full_name() or user.get_username()


def initials_of(name: str) -> str:
    """'Omar Quist' → 'O.Q.': the first letter or digit of each word of the name."""
    firsts = (next((ch for ch in word if ch.isalnum()), "") for word in name.split())
    return "".join(f"{ch.upper()}." for ch in firsts if ch)


def clean_display_name(raw: str) -> str:
    # Collapse runs of spaces and drop control characters.
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def name_key(name: str) -> str:
    """What two names must share to be the same student's: 'Zoë B.' is 'zoe b'.

    Case, accents, punctuation and spacing differ between a pasted roster and
    what a student types on a phone; none of them makes a different person.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    words = ("".join(ch for ch in word if ch.isalnum()) for word in decomposed.split())
    return " ".join(word for word in words if word)


def shared_names(names) -> set[str]:
    """The keys of the names that stand more than once among `names`: 'Zoë B.' and
    'zoe b' are one name here, as they are one student's when a roster is matched."""
    counts = Counter(name_key(name) for name in names)
    return {key for key, count in counts.items() if count > 1}


def with_username(name: str, username: str) -> str:
    return _("%(name)s (%(username)s)") % {"name": name, "username": username}


def told_apart(name: str, username: str, shared: set[str]) -> str:
    """'Zoe B. (zoe.b2)' when someone else on the same page is also called Zoe B."""
    return with_username(name, username) if name_key(name) in shared else name
