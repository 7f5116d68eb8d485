"""Latency and error figures per endpoint, per phase."""

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Endpoint:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    transport_errors: int = 0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def client_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if 400 <= status < 500)

    def figures(self, seconds: float) -> dict:
        ordered = sorted(self.latencies)
        return {
            "requests": self.count,
            "per_second": self.count / seconds if seconds else 0.0,
            "p50_ms": 1000 * percentile(ordered, 0.50),
            "p95_ms": 1000 * percentile(ordered, 0.95),
            "p99_ms": 1000 * percentile(ordered, 0.99),
            "max_ms": 1000 * (ordered[-1] if ordered else 0.0),
            "5xx": self.server_errors,
            "4xx": self.client_errors,
            "transport_errors": self.transport_errors,
        }


class Phase:
    """The requests of one phase of the benchmark, grouped by endpoint label."""

    def __init__(self, name: str):
        self.name = name
        self.endpoints: dict[str, Endpoint] = defaultdict(Endpoint)
        self.started = time.perf_counter()
        self.ended: float | None = None
        # A window narrower than the phase (the saturation runs skip their warm-up).
        self.window: tuple[float, float] | None = None
        # Server CPU seconds spent in the phase, when the server could be measured.
        self.server_cpu: float | None = None
        # This load generator's own CPU seconds: it shares the cores with the server.
        self.client_cpu_started = time.process_time()
        self.client_cpu: float | None = None
        # (seconds since the phase started, label, latency): for the timeline.
        self.samples: list[tuple[float, str, float]] = []

    def record(self, label: str, status: int, elapsed: float) -> None:
        if self._in_window():
            endpoint = self.endpoints[label]
            endpoint.latencies.append(elapsed)
            endpoint.statuses[status] += 1
            self.samples.append((time.perf_counter() - self.started, label, elapsed))

    def record_transport_error(self, label: str) -> None:
        if self._in_window():
            self.endpoints[label].transport_errors += 1

    def _in_window(self) -> bool:
        if self.window is None:
            return True
        return self.window[0] <= time.perf_counter() <= self.window[1]

    def finish(self) -> None:
        self.ended = time.perf_counter()
        if self.client_cpu is None:
            self.client_cpu = time.process_time() - self.client_cpu_started

    @property
    def seconds(self) -> float:
        if self.window is not None:
            return self.window[1] - self.window[0]
        return (self.ended or time.perf_counter()) - self.started

    def timeline(self, labels: tuple[str, ...], bucket: float = 30.0) -> list[dict]:
        """Latency of `labels` window by window: a burst shows as a bad first window."""
        windows: dict[int, list[float]] = defaultdict(list)
        for at, label, elapsed in self.samples:
            if label in labels:
                windows[int(at // bucket)].append(elapsed)
        rows = []
        for n in sorted(windows):
            ordered = sorted(windows[n])
            rows.append(
                {
                    "from_s": n * bucket,
                    "to_s": (n + 1) * bucket,
                    "requests": len(ordered),
                    "p50_ms": 1000 * percentile(ordered, 0.50),
                    "p95_ms": 1000 * percentile(ordered, 0.95),
                    "p99_ms": 1000 * percentile(ordered, 0.99),
                }
            )
        return rows

    def figures(self) -> dict:
        seconds = self.seconds
        rows = {label: e.figures(seconds) for label, e in sorted(self.endpoints.items())}
        total = Endpoint()
        for endpoint in self.endpoints.values():
            total.latencies += endpoint.latencies
            total.transport_errors += endpoint.transport_errors
            for status, n in endpoint.statuses.items():
                total.statuses[status] += n
        return {
            "seconds": seconds,
            "endpoints": rows,
            "total": total.figures(seconds),
            "server_cpu_seconds": self.server_cpu,
            "client_cpu_seconds": self.client_cpu,
        }


def format_table(title: str, figures: dict) -> str:
    head = (
        f"{'endpoint':<22} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'5xx':>5} {'4xx':>5} {'conn':>5}"
    )
    cpu = figures.get("server_cpu_seconds")
    requests = figures["total"]["requests"]
    cost = f", server CPU {1000 * cpu / requests:.1f} ms a request" if cpu and requests else ""
    if cpu and figures.get("client_cpu_seconds") is not None:
        seconds = figures["seconds"]
        cost += (
            f"; CPU use: server {cpu / seconds:.2f} cores, "
            f"this client {figures['client_cpu_seconds'] / seconds:.2f} cores"
        )
    lines = [f"{title} ({figures['seconds']:.1f} s{cost})", head, "-" * len(head)]
    rows = [*figures["endpoints"].items(), ("all", figures["total"])]
    for label, row in rows:
        lines.append(
            f"{label:<22} {row['requests']:>8} {row['per_second']:>8.1f} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['max_ms']:>8.1f} "
            f"{row['5xx']:>5} {row['4xx']:>5} {row['transport_errors']:>5}"
        )
    return "\n".join(lines)


def format_timeline(title: str, rows: list[dict]) -> str:
    lines = [title, f"{'seconds':>11} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"]
    for row in rows:
        window = f"{row['from_s']:.0f}–{row['to_s']:.0f}"
        lines.append(
            f"{window:>11} {row['requests']:>8} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f}"
        )
    return "\n".join(lines)


def print_targets(targets: list[tuple[str, bool, str]]) -> bool:
    """Print each (name, met, value) against its target; whether all were met."""
    print("\ntargets:")
    for name, met, value in targets:
        print(f"  {'met   ' if met else 'MISSED'} {name}: {value}")
    return all(met for _name, met, _value in targets)


def write_json(path: str | None, **figures) -> None:
    """Every figure of a run, for whoever compares runs (nothing when no path)."""
    if path:
        Path(path).write_text(json.dumps(figures, indent=2, default=str))
