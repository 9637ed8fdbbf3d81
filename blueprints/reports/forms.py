"""The questions each document asks: which period, which student, which date."""

from datetime import date

from wtforms import DateField, Form, IntegerField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Optional

from models import Enrollment, MarkingPeriod, School, Section, Student, db
from models.students import GRADE_LEVELS

INDENT = "\u2003"  # an em space: nested periods read as a tree


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
        choices=[SelectChoice("", "")] + [SelectChoice(v, v) for v in GRADE_LEVELS],
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
            self.student.errors.append("Choose a student or a grade level.")
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
            self.student.errors.append("Choose a student or a section.")
            return False
        if self.on.data is None:
            self.on.data = date.today()
        return True


def pickers(user):
    """The periods, students and sections a user may choose from."""
    students = db.select(Student).order_by(Student.last_name, Student.first_name)
    sections = db.select(Section).order_by(Section.period, Section.id)
    if user.role == "student":
        students = students.where(Student.id == user.student_id)
        sections = sections.where(db.false())
    elif user.role == "teacher":
        taught = Section.taught_by_clause(user.staff_id or 0)
        students = students.where(
            Student.id.in_(
                db.select(Enrollment.student_id)
                .join(Section, Section.id == Enrollment.section_id)
                .where(taught)
            )
        )
        sections = sections.where(taught)
    else:
        students = students.where(Student.status == "active")
    return {
        "periods": MarkingPeriod.tree(School.current().id),
        "students": db.session.scalars(students).all(),
        "sections": db.session.scalars(sections).all(),
        "grade_levels": GRADE_LEVELS,
    }
