"""Forms that add a student to a section and drop her from it."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField
from wtforms.validators import Length, Optional


class _ReturnFields(FlaskForm):
    """Where to go back to, and whether the roster showed dropped stints."""

    next = HiddenField()
    dropped = HiddenField()


class AddEnrollmentForm(_ReturnFields):
    """A student, by id or by local id, for a section from a start date."""

    student_id = IntegerField(validators=[Optional()])
    student_local_id = StringField("Student", validators=[Optional(), Length(max=50)])
    section_id = IntegerField(validators=[Optional()])
    start_date = DateField("Start date", validators=[Optional()])


class DropEnrollmentForm(_ReturnFields):
    """The day the student leaves the section."""

    end_date = DateField("Drop date", validators=[Optional()])
