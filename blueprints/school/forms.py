"""Forms for the school's details and its marking periods."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from blueprints.school.rules import KIND_LABELS


class SchoolForm(FlaskForm):
    """Name, address and phone, as report cards print them."""

    name = StringField("School name", validators=[DataRequired(), Length(max=200)])
    address = TextAreaField("Address", validators=[Length(max=300)])
    phone = StringField("Phone", validators=[Length(max=50)])


class MarkingPeriodForm(FlaskForm):
    """One node of the calendar tree; the view fills the parent choices."""

    title = StringField("Title", validators=[DataRequired(), Length(max=100)])
    short_name = StringField("Short name", validators=[DataRequired(), Length(max=20)])
    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice(kind, label.capitalize())
            for kind, label in KIND_LABELS.items()
        ],
    )
    parent_id = SelectField("Parent", coerce=int, choices=[], validate_choice=True)
    start_date = DateField("Start date", validators=[InputRequired()])
    end_date = DateField("End date", validators=[InputRequired()])
    post_start = DateField("Grade posting opens", validators=[Optional()])
    post_end = DateField("Grade posting closes", validators=[Optional()])
    does_grades = BooleanField("Does grades")
    does_exams = BooleanField("Does exams")
    does_comments = BooleanField("Does comments")
