"""The queries behind the staff pages."""

from sqlalchemy.orm import contains_eager

from blueprints.students.grid import search_clauses, shown_first_name
from models import Course, Enrollment, MarkingPeriod, Section, Staff, db
from models.staff import STAFF_ROLES, STAFF_STATUSES

SORTS = {
    "name": [db.func.lower(Staff.last_name), db.func.lower(shown_first_name(Staff))],
    "local_id": [Staff.local_id],
    "title": [db.func.lower(Staff.title)],
    "email": [db.func.lower(Staff.email)],
    "role": [Staff.role],
    "status": [Staff.status],
}
FILTERS = {"role": STAFF_ROLES, "status": STAFF_STATUSES}
SEARCHED = (
    Staff.first_name,
    Staff.last_name,
    Staff.preferred_name,
    Staff.local_id,
    Staff.email,
    Staff.title,
)


def staff_grid(args):
    """The select for one grid request: search, filters, order."""
    query = db.select(Staff).where(*search_clauses(args.q, SEARCHED))
    if args.filters.get("role"):
        query = query.where(Staff.role == args.filters["role"])
    if args.filters.get("status"):
        query = query.where(Staff.status == args.filters["status"])
    return query.order_by(*args.order_by(SORTS, SORTS["name"], Staff.id))


def sections_taught(staff_id):
    """(section, active head count) for each section the member teaches.

    Sections of the newest terms come first.
    """
    head_count = (
        db.select(db.func.count(Enrollment.id))
        .where(Enrollment.section_id == Section.id, Enrollment.status == "active")
        .scalar_subquery()
    )
    return db.session.execute(
        db.select(Section, head_count)
        .join(Section.course)
        .join(Section.marking_period)
        .where((Section.teacher_id == staff_id) | (Section.co_teacher_id == staff_id))
        .order_by(MarkingPeriod.start_date.desc(), Section.period, Course.title)
        .options(contains_eager(Section.course), contains_eager(Section.marking_period))
    ).all()
