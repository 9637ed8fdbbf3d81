"""Injected faults by method and path pattern, and the log of requests seen."""

import fnmatch
import functools
import random
import re
import threading
import time
from collections import Counter, deque

ACTIONS = ("error", "timeout", "throttle", "commit_then_500", "latency")

_ID_SEGMENT = re.compile(r"^(\d+|sis_[a-z_]+:.*|self|default|current)$")


@functools.lru_cache(maxsize=4096)
def path_pattern(path):
    """Replace ids in a path by `:id`, e.g. `/api/v1/users/:id/logins`."""
    parts = path.rstrip("/").split("/")
    return "/".join(":id" if _ID_SEGMENT.match(part) else part for part in parts) or "/"


class Fault:
    """One rule: which requests it matches, how often it fires, what it does."""

    def __init__(self, rule_id, spec):
        self.id = rule_id
        self.spec = {
            "method": str(spec.get("method", "*")).upper(),
            "path": str(spec.get("path", "*")),
            "action": spec.get("action", "error"),
            "rate": spec.get("rate"),
            "every": spec.get("every"),
            "times": spec.get("times"),
            "latency_ms": float(spec.get("latency_ms", 0) or 0),
            "timeout_s": float(spec.get("timeout_s", 30) or 30),
            "status": int(spec.get("status", 500)),
            "seed": spec.get("seed", 0),
        }
        if self.spec["action"] not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
        path = self.spec["path"]
        self._regex = re.compile(path[3:]) if path.startswith("re:") else None
        self._random = random.Random(self.spec["seed"])
        self.seen = 0
        self.fired = 0

    def matches(self, method, path):
        """Whether the rule applies to a request with this method and path."""
        if self.spec["method"] not in ("*", method):
            return False
        if self._regex is not None:
            return self._regex.search(path) is not None
        return fnmatch.fnmatchcase(path, self.spec["path"])

    def fires(self):
        """Count a matching request and decide whether the fault strikes it."""
        self.seen += 1
        times = self.spec["times"]
        if times is not None and self.fired >= int(times):
            return False
        if self.spec["every"]:
            hit = self.seen % int(self.spec["every"]) == 0
        elif self.spec["rate"] is not None:
            hit = self._random.random() < float(self.spec["rate"])
        else:
            hit = True
        self.fired += hit
        return hit

    def as_json(self):
        """The rule with its counters."""
        return dict(self.spec, id=self.id, seen=self.seen, fired=self.fired)


class Faults:
    """The fault rules in force, plus a fixed latency added to every request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.latency_ms = 0.0
        self._next_id = 1

    def add(self, spec):
        """Add a rule from its JSON description and return it."""
        with self.lock:
            rule = Fault(self._next_id, spec)
            self._next_id += 1
            self.rules.append(rule)
            return rule

    def clear(self):
        """Remove every rule and the fixed latency."""
        with self.lock:
            self.rules = []
            self.latency_ms = 0.0

    def strike(self, method, path):
        """The rules that fire for this request, in the order they were added."""
        if not self.rules:
            return []
        with self.lock:
            return [
                rule
                for rule in self.rules
                if rule.matches(method, path) and rule.fires()
            ]


class RequestLog:
    """Counts of requests per method and path pattern, and the latest requests."""

    def __init__(self, keep=20000):
        self.lock = threading.Lock()
        self.entries = deque(maxlen=keep)
        self.counts = Counter()

    def record(self, method, path, status, query, started):
        """Remember one finished request."""
        key = f"{method} {path_pattern(path)}"
        entry = {
            "method": method,
            "path": path,
            "pattern": key.split(" ", 1)[1],
            "query": query,
            "status": status,
            "at": time.time(),
            "ms": round((time.perf_counter() - started) * 1000, 3),
        }
        with self.lock:
            self.entries.append(entry)
            self.counts[key] += 1

    def clear(self):
        """Forget every request."""
        with self.lock:
            self.entries.clear()
            self.counts.clear()

    def as_json(self):
        """Counts per `METHOD pattern`, the total, and the retained entries."""
        with self.lock:
            return {
                "total": sum(self.counts.values()),
                "counts": dict(self.counts),
                "requests": list(self.entries),
            }
