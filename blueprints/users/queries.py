"""The queries behind the users admin pages."""

from sqlalchemy.orm import contains_eager

from blueprints.students.grid import search_clauses
from models import Staff, Student, User, db
from models.auth import ROLES

STATUSES = ("active", "deactivated")
FILTERS = {"role": ROLES, "status": STATUSES}
SORTS = {
    "email": [User.email],
    "name": [
        db.func.lower(db.func.coalesce(Student.last_name, Staff.last_name, "")),
        db.func.lower(db.func.coalesce(Student.first_name, Staff.first_name, "")),
    ],
    "role": [User.role],
    "status": [User.active.desc()],
}
SEARCHED = (
    User.email,
    Student.first_name,
    Student.last_name,
    Student.local_id,
    Staff.first_name,
    Staff.last_name,
    Staff.local_id,
)


def user_grid(args):
    """Accounts with their linked person, searched, filtered and ordered."""
    query = (
        db.select(User)
        .outerjoin(User.student)
        .outerjoin(User.staff)
        .options(contains_eager(User.student), contains_eager(User.staff))
        .where(*search_clauses(args.q, SEARCHED))
    )
    if args.filters.get("role"):
        query = query.where(User.role == args.filters["role"])
    if args.filters.get("status"):
        query = query.where(User.active == (args.filters["status"] == "active"))
    return query.order_by(*args.order_by(SORTS, SORTS["email"], User.id))


def unlinked_people():
    """Students and staff without an account, for the link picker."""
    linked_students = db.select(User.student_id).where(User.student_id.is_not(None))
    linked_staff = db.select(User.staff_id).where(User.staff_id.is_not(None))
    students = db.session.scalars(
        db.select(Student)
        .where(Student.id.not_in(linked_students), Student.status == "active")
        .order_by(Student.last_name, Student.first_name, Student.id)
    ).all()
    staff = db.session.scalars(
        db.select(Staff)
        .where(Staff.id.not_in(linked_staff), Staff.status == "active")
        .order_by(Staff.last_name, Staff.first_name, Staff.id)
    ).all()
    return {"student": students, "staff": staff}
