"""Which classes are current, upcoming or past on a day, and the Schedule tab."""

from datetime import date

from flask import render_template
from flask_login import current_user

from blueprints.students.queries import open_sections, schedule

PHASES = ("current", "upcoming", "past")


def phase(start, end, today):
    """Where a span of days stands on `today`: upcoming, current or past."""
    if start > today:
        return "upcoming"
    if end < today:
        return "past"
    return "current"


def stint_phase(enrollment, today):
    """A stint's phase; a dropped stint is past, whatever its dates.

    A stint counts from the later of its own start and its term's, so a class
    added before its term begins still waits for the term.
    """
    if not enrollment.is_active:
        return "past"
    term = enrollment.section.marking_period
    return phase(max(enrollment.start_date, term.start_date), term.end_date, today)


def split_stints(enrollments, today):
    """Group stints by phase, keeping the order they came in."""
    groups = {name: [] for name in PHASES}
    for enrollment in enrollments:
        groups[stint_phase(enrollment, today)].append(enrollment)
    return groups


def split_sections(rows, today):
    """Group (section, ...) rows by the phase of each section's term."""
    groups = {name: [] for name in PHASES}
    for row in rows:
        term = row[0].marking_period
        groups[phase(term.start_date, term.end_date, today)].append(row)
    return groups


def schedule_page(student, drop_errors=None, asked=None):
    """The record page on its Schedule tab.

    drop_errors maps an enrollment id to why its drop was refused, and asked
    to the date that was typed, so both show again at that row's field.
    """
    today = date.today()
    admin = current_user.role == "admin"
    return render_template(
        "students/record.html",
        tab="schedule",
        student=student,
        groups=split_stints(schedule(student.id), today),
        sections=open_sections(student.id) if admin else [],
        today=today,
        drop_errors=drop_errors or {},
        asked=asked or {},
    )
