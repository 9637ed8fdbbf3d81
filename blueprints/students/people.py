"""Lookups across students and staff: who already holds an email or local id."""

from models import Staff, Student, User, db


def normalize_email(email):
    """Emails are stored trimmed and lower-case; blank means none."""
    email = (email or "").strip().lower()
    return email or None


def email_owner(email, student_id=None, staff_id=None):
    """Describe the student or staff member using this email, else None.

    The record being edited (student_id or staff_id) does not count.
    """
    email = normalize_email(email)
    if email is None:
        return None
    query = db.select(Student).where(db.func.lower(Student.email) == email)
    if student_id is not None:
        query = query.where(Student.id != student_id)
    student = db.session.scalars(query.limit(1)).first()
    if student is not None:
        return describe(student)
    query = db.select(Staff).where(db.func.lower(Staff.email) == email)
    if staff_id is not None:
        query = query.where(Staff.id != staff_id)
    member = db.session.scalars(query.limit(1)).first()
    return describe(member) if member is not None else None


def local_id_owner(model, school_id, local_id, exclude_id=None):
    """The student or staff member holding this local id in the school.

    Case is ignored: "s00012" beside "S00012" would be the same id to a person.
    """
    query = db.select(model).where(
        model.school_id == school_id,
        db.func.lower(model.local_id) == local_id.lower(),
    )
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def describe(person):
    """A person as collision messages name them: 'student Ana Ruiz (S00012)'."""
    kind = "student" if isinstance(person, Student) else "staff member"
    return f"{kind} {person.full_name} ({person.local_id})"


def account_of(person):
    """The sign-in account linked to a student or staff member, if any."""
    column = User.student_id if isinstance(person, Student) else User.staff_id
    return db.session.scalars(db.select(User).where(column == person.id)).first()
