"""What a record must satisfy before it goes to Canvas, and failures in words.

Shared by the per-record jobs (jobs.sync) and the SIS import (jobs.sis_import).
"""

from urllib.parse import unquote, urlsplit

from email_validator import EmailNotValidError, validate_email

from jobs.canvas import CanvasConfigError, CanvasNotFound, CanvasValidationError
from models import MarkingPeriod, Section, Staff, Student, SyncState, db

PEOPLE = {"student": Student, "staff": Staff}
NOUNS = {
    "student": "student",
    "staff": "staff member",
    "section": "section",
    "enrollment": "enrollment",
    "term": "marking period",
}
# Canvas path collections and what they hold, in the words of a 404 message.
_COLLECTIONS = {
    "users": "user",
    "courses": "course",
    "sections": "section",
    "terms": "term",
    "enrollments": "enrollment",
    "logins": "login",
    "accounts": "account",
}
# The Homeroom record to resync when Canvas lacks a thing we cannot name.
_UNNAMED = {
    "user": "the student or staff member",
    "course": "the section",
    "section": "the section",
    "term": "the marking period's sections",
}
# Which Canvas things a Homeroom record of each kind is itself.
_OWN = {
    "student": {"user", "login"},
    "staff": {"user", "login"},
    "section": {"course", "section"},
    "term": {"term"},
    "enrollment": {"enrollment"},
}


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


def sync_wanted(state):
    """Say whether a person may go to Canvas: nobody unticked her box."""
    return state is None or not (state.details or {}).get("disabled")


def never_synced(state):
    """Say whether a person is wanted in Canvas but was never asked to sync.

    A person added before Canvas was set up rests `off` without `disabled`.
    """
    return state is None or (state.state == "off" and sync_wanted(state))


def plain_message(exc, kind, request=None):
    """A Canvas failure in words a school admin can act on.

    `request` is the client's trace entry of the call that failed; a 404
    names what that call referred to.
    """
    if isinstance(exc, CanvasConfigError):
        return exc.message
    if isinstance(exc, CanvasNotFound):
        return _not_found(exc, kind, request)
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


def _not_found(exc, kind, request):
    """Say which Canvas user, course or section a request found missing."""
    noun = NOUNS.get(kind, kind)
    named = _named_in(request) if request else []
    if not named:
        return (
            f"Canvas could not find something this {noun} refers to "
            f"({exc.message}). Resync what it depends on, then this {noun}."
        )
    missing = ", or no ".join(
        _describe(thing, id_name, value, label)
        for thing, id_name, value, label in named
    )
    return f"Canvas has no {missing}. {_advice(named, kind, noun)}"


def _describe(thing, id_name, value, label):
    """`user with SIS id S1 (student Ann Lee)`."""
    known = f" ({label})" if label else ""
    return f"{thing} with {id_name} {value}{known}"


def _advice(named, kind, noun):
    """What to press once Canvas lacks something a record refers to."""
    things = {thing for thing, _id_name, _value, _label in named}
    if things == {"account"}:
        return "Check the account id on the LMS settings page, then press Resync."
    gone = "It may have been deleted, or its SIS id changed, in Canvas."
    others = [n for n in named if n[0] not in _OWN.get(kind, set())]
    if not others:
        return f"{gone} Press Resync to send this {noun} again."
    targets = []
    for thing, _id_name, _value, label in others:
        target = label or _UNNAMED.get(thing, f"the {thing}")
        if target not in targets:
            targets.append(target)
    return f"{gone} Press Resync on {' or '.join(targets)}, then on this {noun}."


def _named_in(request):
    """(thing, id name, value, Homeroom label) for each id a request holds.

    A user named in the form or query comes first, then the path's ids from
    the innermost out; the account only when nothing else is named.
    """
    path = urlsplit(request.get("path") or "").path
    parts = [unquote(part) for part in path.split("/") if part]
    if parts[:2] == ["api", "v1"]:
        parts = parts[2:]
    found = []
    for fields in (request.get("data"), request.get("params")):
        for key, value in (fields if isinstance(fields, dict) else {}).items():
            if key in ("user_id", "as_user_id") or key.endswith("[user_id]"):
                found.append(("user", str(value)))
    pairs = zip(parts[0::2], parts[1::2], strict=False)
    found += [
        (_COLLECTIONS[name], ident)
        for name, ident in reversed(list(pairs))
        if name in _COLLECTIONS and ident != "self"
    ]
    if any(thing != "account" for thing, _ident in found):
        found = [(thing, ident) for thing, ident in found if thing != "account"]
    named = []
    for thing, ident in found:
        entry = (thing, *_split_id(ident), _homeroom_label(thing, ident))
        if entry not in named:
            named.append(entry)
    return named


def _split_id(ident):
    """(`SIS id`, value) for `sis_user_id:S1`, (`id`, value) for a Canvas id."""
    prefix, _colon, value = ident.partition(":")
    if not value:
        return "id", ident
    if prefix == "sis_login_id":
        return "login", value
    return "SIS id", value


def _homeroom_label(thing, ident):
    """The Homeroom record behind a Canvas id, as `student Ann Lee`, or None."""
    prefix, _colon, value = ident.partition(":")
    if value and prefix.startswith("sis_"):
        return _label_by_sis_id(thing, value)
    if not ident.isdigit():
        return None
    kinds = {"user": ("student", "staff"), "course": ("section",)}.get(thing)
    column = SyncState.canvas_id
    if thing == "section":
        kinds, column = ("section",), SyncState.canvas_section_id
    if not kinds:
        return None
    state = db.session.scalar(
        db.select(SyncState)
        .where(SyncState.kind.in_(kinds), column == int(ident))
        .limit(1)
    )
    if state is None:
        return None
    model = PEOPLE.get(state.kind, Section)
    return _label(state.kind, db.session.get(model, state.record_id))


def _label_by_sis_id(thing, value):
    """The Homeroom record whose external id is a Canvas SIS id, as words."""
    if thing == "user":
        candidates = list(PEOPLE.items())
    elif thing in ("course", "section"):
        candidates = [("section", Section)]
    elif thing == "term":
        candidates = [("term", MarkingPeriod)]
    else:
        return None
    for kind, model in candidates:
        record = db.session.scalar(
            db.select(model).where(model.external_id == value).limit(1)
        )
        if record is not None:
            return _label(kind, record)
    return None


def _label(kind, record):
    """`student Ann Lee`, `section Algebra I`, `marking period Year 1`."""
    if record is None:
        return None
    if kind in PEOPLE:
        return f"{NOUNS[kind]} {record.full_name}"
    if kind == "term":
        return f"marking period {record.title}"
    return f"section {record.name}"
