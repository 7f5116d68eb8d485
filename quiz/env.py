"""Read settings from the environment; a bad value stops the server at start-up."""

import os
import secrets
import socket
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else from a file made on first run.

    The file is created with owner-only permissions so other accounts on the
    school's server cannot read it.
    """
    value = os.environ.get("SECRET_KEY")
    if value:
        return value
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def lan_hosts() -> list[str]:
    """Names and addresses pupils may type to reach this machine."""
    hosts = {"localhost", "127.0.0.1", "[::1]"}
    name = socket.gethostname()
    hosts.update({name, f"{name}.local", socket.getfqdn()})
    try:
        for info in socket.getaddrinfo(name, None):
            address = info[4][0]
            hosts.add(f"[{address}]" if ":" in address else address)
    except OSError:
        pass
    address = lan_address()
    if address:
        hosts.add(address)
    return sorted(hosts)


def lan_address() -> str | None:
    """This machine's address on the LAN: that of its default route (connecting a UDP
    socket sends no packet)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:
        return None


def _zone_from_os(etc: Path) -> str | None:
    """The machine's zone name, as the OS keeps it (Debian and most others)."""
    timezone_file = etc / "timezone"
    if timezone_file.is_file():
        name = timezone_file.read_text().strip()
        if name:
            return name
    localtime = etc / "localtime"
    if localtime.is_symlink():
        target = str(localtime.resolve())
        marker = "/zoneinfo/"
        if marker in target:
            return target.split(marker, 1)[1]
    return None


def time_zone(etc: Path = Path("/etc")) -> str:
    """The school's zone: TIME_ZONE if set, else this machine's own, else UTC.

    Opening and closing times are typed in this zone, so it must be the zone
    of the clocks on the classroom wall, not of some far-away server.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    explicit = os.environ.get("TIME_ZONE", "").strip()
    name = explicit or os.environ.get("TZ", "").strip().lstrip(":") or _zone_from_os(etc)
    if not name:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if explicit:
            raise ImproperlyConfigured(
                f"TIME_ZONE must be a zone name such as Europe/Berlin; got {explicit!r}"
            ) from None
        return "UTC"
    return name
