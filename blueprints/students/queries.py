"""The queries behind the student pages."""

from sqlalchemy.orm import contains_eager

from blueprints.students.grid import search_clauses, shown_first_name
from models import Course, Enrollment, MarkingPeriod, Section, Student, db
from models.students import GRADE_LEVELS, STUDENT_STATUSES

SORTS = {
    "name": [
        db.func.lower(Student.last_name),
        db.func.lower(shown_first_name(Student)),
    ],
    "local_id": [Student.local_id],
    "grade": [Student.grade_level],
    "email": [db.func.lower(Student.email)],
    "status": [Student.status],
}
FILTERS = {"grade": GRADE_LEVELS, "status": STUDENT_STATUSES}
SEARCHED = (
    Student.first_name,
    Student.last_name,
    Student.preferred_name,
    Student.local_id,
    Student.email,
)


def taught_by(staff_id):
    """A subquery of the ids of sections a staff member teaches."""
    return db.select(Section.id).where(
        (Section.teacher_id == staff_id) | (Section.co_teacher_id == staff_id)
    )


def visible_students(user):
    """Students the user may list: all for admins, her sections' for teachers.

    A teacher sees a student who was ever in one of her sections, as
    access.can_see_student does, so the grid and the record agree.
    """
    query = db.select(Student)
    if user.role == "admin":
        return query
    if user.staff_id is None:
        # Comparing with a NULL staff id would match every untaught section.
        return query.where(db.false())
    enrolled = db.select(Enrollment.id).where(
        Enrollment.student_id == Student.id,
        Enrollment.section_id.in_(taught_by(user.staff_id)),
    )
    return query.where(enrolled.exists())


def student_grid(user, args):
    """The select for one grid request: visibility, search, filters, order."""
    query = visible_students(user).where(*search_clauses(args.q, SEARCHED))
    if args.filters.get("grade"):
        query = query.where(Student.grade_level == args.filters["grade"])
    if args.filters.get("status"):
        query = query.where(Student.status == args.filters["status"])
    return query.order_by(*args.order_by(SORTS, SORTS["name"], Student.id))


def schedule(student_id):
    """A student's enrollments, loaded with section, course, term and teacher.

    They come in timetable order: by term start, then period and class name.
    """
    return db.session.scalars(
        db.select(Enrollment)
        .join(Enrollment.section)
        .join(Section.course)
        .join(Section.marking_period)
        .outerjoin(Section.teacher)
        .where(Enrollment.student_id == student_id)
        .order_by(
            MarkingPeriod.start_date,
            Section.period,
            Course.title,
            Enrollment.start_date,
            Enrollment.id,
        )
        .options(
            contains_eager(Enrollment.section).options(
                contains_eager(Section.course),
                contains_eager(Section.marking_period),
                contains_eager(Section.teacher),
            )
        )
    ).all()


def open_sections(student_id):
    """Active sections the student is not in now, for the add form."""
    current = db.select(Enrollment.section_id).where(
        Enrollment.student_id == student_id, Enrollment.status == "active"
    )
    return db.session.scalars(
        db.select(Section)
        .join(Section.course)
        .join(Section.marking_period)
        .where(Section.active, Section.id.not_in(current))
        .order_by(MarkingPeriod.start_date.desc(), Course.title, Section.period)
        .options(contains_eager(Section.course), contains_eager(Section.marking_period))
    ).all()
