"""Scheduling rules on plain values, so they test without a database."""


def add_refusal(name, status, *, active_here, last_end, start_date, enrolled, capacity):
    """Say why a student cannot be added to a section, or None if she can.

    active_here: she has an active stint in the section already; last_end:
    the end date of her latest past stint there, if any; enrolled: the
    section's active head count; capacity: None for no limit.
    """
    if status != "active":
        return f"{name} is {status}; only active students can be scheduled."
    if active_here:
        return f"{name} is already in this section."
    if capacity is not None and enrolled >= capacity:
        return f"This section is full: its capacity is {capacity} students."
    if last_end is not None and start_date < last_end:
        return (
            f"{name} was in this section until {last_end:%Y-%m-%d}; "
            "a new stint cannot start before that."
        )
    return None


def drop_refusal(status, start_date, end_date):
    """Say why a stint cannot end on this date, or None if it can."""
    if status != "active":
        return "This student was already dropped from the section."
    if end_date < start_date:
        return f"The drop date cannot be before the start date, {start_date:%Y-%m-%d}."
    return None
