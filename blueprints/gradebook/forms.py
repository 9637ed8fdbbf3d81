"""Forms for a section's gradebook."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from models.gradebook import rounding_choices

OPTION_CHOICES = [
    SelectChoice(
        "1",
        "Option 1: keep the gradebook in Homeroom. Homeroom fetches each Canvas "
        "assignment's score, unweighted, and weights it here with your types.",
    ),
    SelectChoice(
        "2",
        "Option 2: keep the gradebook and its weighting in Canvas. Homeroom "
        "fetches only each student's Canvas course grade.",
    ),
]


class ConfigForm(FlaskForm):
    """How the section's gradebook counts."""

    canvas_option = RadioField(
        "Canvas grade option", choices=OPTION_CHOICES, validators=[Optional()]
    )
    weighted = BooleanField("Weight grades by assignment type")
    rounding = SelectField("Rounding of the final percentage", choices=[])
    missing_as_zero = BooleanField("Count missing work as zero")
    scale_id = SelectField("Grading scale for letters", coerce=int, choices=[])

    def __init__(self, *args, scales=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rounding.choices = [SelectChoice(v, t) for v, t in rounding_choices()]
        self.scale_id.choices = [SelectChoice(s.id, s.name) for s in scales]


class TypeForm(FlaskForm):
    """A new assignment type."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    weight = DecimalField(
        "Weight (%)",
        places=2,
        validators=[
            InputRequired(message="Give a weight, 0 for none."),
            NumberRange(min=0, max=100, message="A weight runs from 0 to 100."),
        ],
    )


def _not_before_assigned(form, field):
    """A due date before the assigned date is a typo."""
    assigned = form.assigned_on.data
    if field.data and assigned and field.data < assigned:
        raise ValidationError("The due date comes before the assigned date.")


class AssignmentForm(FlaskForm):
    """One assignment made in Homeroom."""

    title = StringField("Title", validators=[DataRequired(), Length(max=255)])
    type_id = SelectField("Type", coerce=int, choices=[])
    points = DecimalField(
        "Points",
        places=2,
        validators=[
            InputRequired(message="Give the points, 0 for extra credit only."),
            NumberRange(min=0, max=100000, message="Points run from 0 to 100000."),
        ],
    )
    assigned_on = DateField("Assigned", validators=[Optional()])
    due_on = DateField("Due", validators=[Optional(), _not_before_assigned])
    marking_period_id = SelectField("Marking period", coerce=int, choices=[])
    description = TextAreaField("Description", validators=[Length(max=20000)])
    also_in_canvas = BooleanField("Also create in Canvas")

    def __init__(self, *args, types=(), periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.type_id.choices = [
            SelectChoice(t.id, t.name) for t in types if not t.is_canvas
        ]
        self.marking_period_id.choices = [SelectChoice(0, "Whole section")] + [
            SelectChoice(p.id, p.title) for p in periods
        ]
