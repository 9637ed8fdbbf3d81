"""Who may open what: role decorators and the records each role may see."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from models import Enrollment, Section, db


def role_required(*roles):
    """Allow a view to signed-in users of the given roles, 403 for the rest."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required("admin")
staff_required = role_required("admin", "teacher")


def teacher_section_ids(user):
    """Ids of the sections a teacher teaches (as first or second teacher)."""
    if user.staff_id is None:
        return set()
    rows = db.session.scalars(
        db.select(Section.id).where(
            (Section.teacher_id == user.staff_id)
            | (Section.co_teacher_id == user.staff_id)
        )
    )
    return set(rows)


def can_see_section(user, section):
    """Admins see every section; a teacher her own; students none."""
    if user.role == "admin":
        return True
    return user.role == "teacher" and section.is_taught_by(user.staff_id)


def can_see_student(user, student_id):
    """Admins see everyone; a teacher her sections' students; a student herself."""
    if user.role == "admin":
        return True
    if user.role == "student":
        return user.student_id == student_id
    if user.role != "teacher" or user.staff_id is None:
        return False
    taught = db.select(Section.id).where(
        (Section.teacher_id == user.staff_id) | (Section.co_teacher_id == user.staff_id)
    )
    hit = db.session.scalar(
        db.select(Enrollment.id)
        .where(Enrollment.student_id == student_id)
        .where(Enrollment.section_id.in_(taught))
        .limit(1)
    )
    return hit is not None


def get_section_or_404(section_id, user):
    """Load a section the user may see, else 404 or 403."""
    section = db.session.get(Section, section_id) or abort(404)
    if not can_see_section(user, section):
        abort(403)
    return section


def require_student_access(student_id, user=None):
    """Abort with 403 unless the user may see this student."""
    if not can_see_student(user or current_user, student_id):
        abort(403)
