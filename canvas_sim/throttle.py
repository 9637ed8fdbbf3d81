"""Canvas's leaky-bucket request throttle, one bucket per access token."""

import threading
import time

# The open-source Canvas defaults (config/initializers/request_throttle.rb).
DEFAULTS = {
    "enabled": True,
    "high_water_mark": 600.0,
    "maximum": 800.0,
    "outflow": 10.0,
    "up_front_cost": 50.0,
    "extra_cost": 0.0,
    "status": 403,
}


def throttled_body(status):
    """Canvas's plain-text refusal, newline included (RequestThrottle)."""
    reason = {403: "Forbidden", 429: "Too Many Requests"}[status]
    return f"{status} {reason} (Rate Limit Exceeded)\n"


class Throttle:
    """Leaky buckets keyed by token; each request is charged its cost."""

    def __init__(self, **settings):
        self.lock = threading.Lock()
        self.settings = dict(DEFAULTS)
        self.configure(**settings)
        self.buckets = {}

    def configure(self, **settings):
        """Change any of the settings in DEFAULTS; unknown names raise KeyError."""
        with self.lock:
            for key, value in settings.items():
                if key not in DEFAULTS:
                    raise KeyError(key)
                self.settings[key] = type(DEFAULTS[key])(value)

    def reset(self):
        """Empty every bucket and restore the default settings."""
        with self.lock:
            self.buckets.clear()
            self.settings = dict(DEFAULTS)

    def _level(self, token, now):
        """Leak the bucket for the time gone by and return its level."""
        level, last = self.buckets.get(token, (0.0, now))
        level = max(0.0, level - (now - last) * self.settings["outflow"])
        self.buckets[token] = (level, now)
        return level

    def start(self, token):
        """Admit a request (charging the up-front cost) or refuse it.

        Returns (admitted, remaining).
        """
        with self.lock:
            if not self.settings["enabled"]:
                return True, self.settings["high_water_mark"]
            now = time.monotonic()
            level = self._level(token, now)
            if level >= self.settings["high_water_mark"]:
                # Canvas reports hwm - level here too: zero or below.
                return False, self.settings["high_water_mark"] - level
            level = min(
                level + self.settings["up_front_cost"], self.settings["maximum"]
            )
            self.buckets[token] = (level, now)
            return True, self.settings["high_water_mark"] - level

    def finish(self, token, cost):
        """Refund the up-front charge, charge the real cost; return remaining."""
        with self.lock:
            hwm = self.settings["high_water_mark"]
            if not self.settings["enabled"]:
                return hwm
            now = time.monotonic()
            level = self._level(token, now)
            charge = cost + self.settings["extra_cost"] - self.settings["up_front_cost"]
            level = min(max(level + charge, 0.0), self.settings["maximum"])
            self.buckets[token] = (level, now)
            return hwm - level

    def status(self, token):
        """The settings and the current level of `token`'s bucket."""
        with self.lock:
            level = self._level(token, time.monotonic())
            return dict(self.settings, level=level)
