"""Throttled sign-in: failures counted per (username, address) and per username.

A guesser at one PC is slowed at that PC; a pupil cannot lock a teacher (or a classmate)
out of the PCs they sign in from, which are trusted once a sign-in there succeeded.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from quiz.core.models import SignInThrottle

FREE_FAILURES = 5  # at one address
USERNAME_CEILING = 100  # from all addresses together
MAX_BLOCK = timedelta(minutes=5)
FORGET_AFTER = timedelta(days=1)  # failures older than this start the count again
ANYWHERE = "*"  # the address of the username-wide row


def client_address(request) -> str:
    """The address a sign-in came from: the socket's, or the proxy's word when HTTPS=on.

    Behind the TLS proxy every request arrives from 127.0.0.1, and the proxy appends the
    browser's address to X-Forwarded-For, so the last entry is the one it vouches for.
    """
    if request is None:
        return ""
    if settings.HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def _rows(username: str, address: str) -> dict[str, SignInThrottle]:
    rows = SignInThrottle.objects.filter(username=_key(username), address__in=[address, ANYWHERE])
    return {row.address: row for row in rows}


def blocked_for(username: str, address: str, now) -> timedelta | None:
    """How long this username must wait at this address, or None.

    Guessing from one address slows that address only. The username-wide ceiling stops a
    guesser who moves from PC to PC, but never an address the owner has signed in from.
    """
    rows = _rows(username, address)
    here = rows.get(address)
    everywhere = rows.get(ANYWHERE)
    if here and here.trusted:
        everywhere = None
    waits = [
        row.blocked_until - now
        for row in (here, everywhere)
        if row and row.blocked_until and row.blocked_until > now
    ]
    return max(waits, default=None)


def _count_failure(username: str, address: str, now, free: int) -> None:
    throttle, _ = SignInThrottle.objects.get_or_create(username=username, address=address)
    if throttle.last_failure_at and now - throttle.last_failure_at > FORGET_AFTER:
        SignInThrottle.objects.filter(pk=throttle.pk).update(failures=0, blocked_until=None)
    SignInThrottle.objects.filter(pk=throttle.pk).update(
        failures=F("failures") + 1, last_failure_at=now
    )
    throttle.refresh_from_db()
    if throttle.failures >= free:
        seconds = 2 ** min(20, throttle.failures - free + 1)
        throttle.blocked_until = now + min(MAX_BLOCK, timedelta(seconds=seconds))
        throttle.save(update_fields=["blocked_until"])


def record_failure(username: str, address: str, now) -> None:
    """After five failures at one address, each further one blocks it there a little longer;
    after a hundred from anywhere, the username waits everywhere it has not signed in before."""
    key = _key(username)
    with transaction.atomic():
        _count_failure(key, address, now, FREE_FAILURES)
        _count_failure(key, ANYWHERE, now, USERNAME_CEILING)


def record_success(username: str, address: str) -> None:
    """The owner is here: forget the failures, and trust this address from now on."""
    rows = _rows(username, address)
    here = rows.get(address)
    if here and here.trusted and not here.failures and ANYWHERE not in rows:
        return  # the usual case at 9:00: nothing to write
    key = _key(username)
    with transaction.atomic():
        SignInThrottle.objects.filter(username=key, address=ANYWHERE).delete()
        SignInThrottle.objects.update_or_create(
            username=key,
            address=address,
            defaults={"failures": 0, "blocked_until": None, "trusted": True},
        )


def _key(username: str) -> str:
    return username.lower()[:150]
