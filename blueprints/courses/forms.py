"""Forms for courses and sections."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

SYNC_NEEDS_VIRTUAL = (
    "Synchronizing with Canvas needs Virtual Class on; tick both, or neither."
)


def _two_decimals(form, field):
    """Credits are kept to the hundredth; refuse finer values rather than round."""
    if field.data is not None and field.data.as_tuple().exponent < -2:
        raise ValidationError("Give credits with at most two decimals, e.g. 0.25.")


class CourseForm(FlaskForm):
    """A course in the catalogue."""

    code = StringField("Code", validators=[DataRequired(), Length(max=50)])
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    subject = StringField("Subject", validators=[Length(max=100)])
    credits = DecimalField(
        "Credits",
        validators=[
            InputRequired(message="Give the credits, 0 for none."),
            NumberRange(min=0, max=999.99, message="Credits run from 0 to 999.99."),
            _two_decimals,
        ],
    )


class SectionForm(FlaskForm):
    """A section; the view fills the course, period and teacher choices."""

    course_id = SelectField("Course", coerce=int)
    marking_period_id = SelectField("Marking period", coerce=int)
    teacher_id = SelectField("Teacher", coerce=int)
    co_teacher_id = SelectField("Second teacher", coerce=int)
    title = StringField("Title", validators=[Length(max=200)])
    period = StringField("Period", validators=[Length(max=20)])
    room = StringField("Room", validators=[Length(max=50)])
    capacity = IntegerField(
        "Capacity",
        validators=[
            Optional(),
            NumberRange(min=1, message="Capacity is a positive number, or empty."),
        ],
    )
    virtual_class = BooleanField("Virtual Class")
    canvas_sync = BooleanField("Synchronize this course with Canvas")

    def validate_teacher_id(self, field):
        """A section needs its teacher."""
        if not field.data:
            raise ValidationError("Choose the teacher.")

    def validate_co_teacher_id(self, field):
        """The second teacher is someone other than the first."""
        if field.data and field.data == self.teacher_id.data:
            raise ValidationError("The second teacher must differ from the first.")

    def validate_canvas_sync(self, field):
        """Only a virtual class is synchronized with Canvas."""
        if field.data and not self.virtual_class.data:
            raise ValidationError(SYNC_NEEDS_VIRTUAL)
