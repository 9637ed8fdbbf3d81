"""What a record must satisfy before it goes to Canvas, and failures in words.

Shared by the per-record jobs (jobs.sync) and the SIS import (jobs.sis_import).
"""

from email_validator import EmailNotValidError, validate_email

from jobs.canvas import CanvasConfigError, CanvasValidationError
from models import Staff, Student, db

PEOPLE = {"student": Student, "staff": Staff}


class Blocked(Exception):
    """A record cannot be synced until something in Homeroom changes."""


def check_email(kind, record, owners=None):
    """Raise Blocked unless the email is present, valid and this person's own.

    `owners` maps lowercased emails to (kind, person) pairs when a bulk sync
    has them loaded already.
    """
    email = (record.email or "").strip()
    noun = "student" if kind == "student" else "staff member"
    if not email:
        raise Blocked(
            f"This {noun} has no email address, and Canvas needs one as the "
            "login. Add it on the General Information tab."
        )
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Blocked(f"The email address {email!r} is not valid: {exc}") from exc
    other = _other_person_with_email(kind, record, email, owners)
    if other:
        raise Blocked(
            f"{other} has the same email address ({email}). Each person needs "
            "their own to sign in to Canvas; change one of them."
        )


def _other_person_with_email(kind, record, email, owners=None):
    """Name another Homeroom person who has this email, or return None."""
    email = email.lower()
    if owners is not None:
        others = [(k, p) for k, p in owners.get(email, []) if p is not record]
    else:
        others = []
        for other_kind, model in PEOPLE.items():
            query = db.select(model).where(db.func.lower(model.email) == email)
            if other_kind == kind:
                query = query.where(model.id != record.id)
            found = db.session.scalar(query.limit(1))
            if found is not None:
                others.append((other_kind, found))
    if not others:
        return None
    other_kind, found = others[0]
    noun = "Student" if other_kind == "student" else "Staff member"
    return f"{noun} {found.full_name} ({found.local_id})"


def login_taken(kind, email):
    """Plain words for Canvas refusing a login that another user holds."""
    noun = "student" if kind == "student" else "staff member"
    return (
        f"Canvas already has a login {email} that belongs to another Canvas "
        f"user, so this {noun} cannot use it. Change the email here, or free "
        "that login in Canvas, then press Resync."
    )


def plain_message(exc, kind):
    """A Canvas failure in words a school admin can act on."""
    if isinstance(exc, CanvasConfigError):
        return exc.message
    if getattr(exc, "bad_token", False):
        return (
            f"{exc.message}. Enter a new access token on the LMS settings page, "
            "then press Resync."
        )
    if exc.transient:
        return f"{exc.message}; Homeroom gave up after retrying. Press Resync later."
    if isinstance(exc, CanvasValidationError):
        return f"Canvas refused this {kind}: {exc.message}"
    return exc.message
