"""What each document asks (period, student, date) and whom a user may ask about."""

from datetime import date

from sqlalchemy.orm import joinedload
from wtforms import DateField, Form, IntegerField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Optional

from blueprints.students.grid import search_clauses
from models import Enrollment, MarkingPeriod, School, Section, Student, db
from models.students import GRADE_LEVELS

INDENT = "\u2003"  # an em space: nested periods read as a tree
SEARCH_LIMIT = 50


def _grading_periods():
    """The school's marking periods in tree order, as select choices."""
    return [
        SelectChoice(period.id, INDENT * depth + period.title)
        for period, depth in MarkingPeriod.tree(School.current().id)
    ]


class ReportCardQuery(Form):
    """A marking period and either one student or a grade level."""

    period = SelectField("Marking period", coerce=int, validators=[DataRequired()])
    student = IntegerField("Student", validators=[Optional()])
    grade_level = SelectField(
        "Grade level",
        choices=[SelectChoice("", "Choose a grade level")]
        + [SelectChoice(v, v) for v in GRADE_LEVELS],
        validators=[Optional()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = _grading_periods()
        self.period_record = None

    def validate_period(self, field):
        """The period must be one of the school's."""
        self.period_record = db.session.get(MarkingPeriod, field.data)

    def validate(self, extra_validators=None):
        """A student or a grade level, not neither."""
        if not super().validate(extra_validators):
            return False
        if self.student.data is None and not self.grade_level.data:
            self.grade_level.errors.append("Choose a student or a grade level.")
            return False
        return True


class ProgressQuery(Form):
    """A student or a section, and the date the report is as of."""

    student = IntegerField("Student", validators=[Optional()])
    section = IntegerField("Section", validators=[Optional()])
    on = DateField("As of", default=date.today, validators=[Optional()])

    def validate(self, extra_validators=None):
        """A student or a section; the date defaults to today."""
        if not super().validate(extra_validators):
            return False
        if self.student.data is None and self.section.data is None:
            self.section.errors.append("Choose a student or a section.")
            return False
        if self.on.data is None:
            self.on.data = date.today()
        return True


def own_student(user):
    """Form defaults that make a student's own record the one asked about."""
    return {"student": user.student_id} if user.role == "student" else {}


def visible_students(user):
    """A select of the students the user may see: all, her sections', herself."""
    query = db.select(Student)
    if user.role == "student":
        return query.where(Student.id == user.student_id)
    if user.role == "teacher":
        taught = db.select(Enrollment.student_id).join(
            Section, Section.id == Enrollment.section_id
        )
        return query.where(
            Student.id.in_(taught.where(Section.taught_by_clause(user.staff_id or 0)))
        )
    return query


def find_students(user, q):
    """The first SEARCH_LIMIT students matching a name or local id, and a count."""
    columns = (
        Student.first_name,
        Student.last_name,
        Student.preferred_name,
        Student.local_id,
    )
    query = visible_students(user).where(*search_clauses(q, columns))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    order = (Student.last_name, Student.first_name, Student.id)
    found = db.session.scalars(query.order_by(*order).limit(SEARCH_LIMIT)).all()
    return found, total


def visible_sections(user):
    """The sections a user may run progress reports for, in timetable order."""
    if user.role == "student":
        return []
    query = (
        db.select(Section)
        .options(joinedload(Section.course), joinedload(Section.marking_period))
        .order_by(Section.period, Section.id)
    )
    if user.role == "teacher":
        query = query.where(Section.taught_by_clause(user.staff_id or 0))
    return db.session.scalars(query).all()
