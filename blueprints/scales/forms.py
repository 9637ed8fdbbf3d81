"""The grading scale form: a name, the default switch and a table of levels."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, FieldList, Form, FormField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from blueprints.scales.rules import Row, levels_problem, plain, row_problems
from blueprints.students.forms import strip


class PlainDecimalField(DecimalField):
    """A decimal typed as text and shown as people write it: 90, not 90.00."""

    widget = TextInput()

    def _value(self):
        """Show what was typed, else the stored value without trailing zeros."""
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else plain(Decimal(self.data))


class LevelForm(Form):
    """One row of the levels table; a blank row adds nothing."""

    letter = StringField("Letter", filters=[strip])
    min_percentage = PlainDecimalField("From %", validators=[Optional()])
    gpa_points = PlainDecimalField("GPA points", validators=[Optional()])
    passing = BooleanField("Passing", default=True)
    remove = BooleanField("Remove")

    def row(self):
        """The row as the rules take it; None when blank or ticked for removal."""
        row = Row(
            self.letter.data or "",
            self.min_percentage.data,
            self.gpa_points.data,
            self.passing.data,
        )
        return None if self.remove.data or row.blank else row


class ScaleForm(FlaskForm):
    """A scale's name, whether it is the school's default, and its levels."""

    name = StringField(
        "Name", filters=[strip], validators=[DataRequired(), Length(max=100)]
    )
    is_default = BooleanField("Make this the school's default scale")
    levels = FieldList(FormField(LevelForm))

    def __init__(self, *args, taken=(), **kwargs):
        """Bind the form to the names the school's other scales already use."""
        super().__init__(*args, **kwargs)
        self.taken = {name.casefold() for name in taken}

    def add_blank_rows(self, count):
        """Append empty rows for new levels."""
        for _ in range(count):
            self.levels.append_entry()

    def rows(self):
        """The rows that make levels, in the order they were typed."""
        return [row for entry in self.levels if (row := entry.form.row())]

    def validate_name(self, field):
        """A name is unique among the school's scales."""
        if field.data.casefold() in self.taken:
            raise ValidationError(f"Another scale is already called {field.data}.")

    def validate_levels(self, field):
        """Check the rows together; each message goes on the row it concerns."""
        if field.errors:
            return  # a number that did not parse is already flagged in its cell

        rows = [entry.form.row() for entry in field]
        problems = row_problems(rows)
        for index, found in problems.items():
            for name, message in found.items():
                field[index][name].errors.append(message)
        if problems:
            # FieldList copied its rows' errors before running this validator.
            field.errors = [entry.errors for entry in field]

        problem = levels_problem(rows)
        if problem:
            raise ValidationError(problem)
