"""Reading the Input Final Grades table and the period weights form."""

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from models.final_grade_math import MAX_PERCENTAGE, parse_override, to_cents
from models.grade_entry import Entry

COMMENT_LIMIT = 1000


class PostForm(FlaskForm):
    """A form with no fields of its own: it carries and checks the CSRF token."""


class CommentCodeForm(FlaskForm):
    """A new comment code: a short code and the sentence it stands for."""

    code = StringField(
        "Code",
        validators=[
            DataRequired(),
            Length(max=10),
            Regexp(r"^[A-Za-z0-9]+$", message="Letters and digits only."),
        ],
    )
    text = StringField("Comment", validators=[DataRequired(), Length(max=200)])


def _percentage(raw, label):
    """A percentage from text, None when blank; ValueError with a message."""
    text = (raw or "").strip().rstrip("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label} must be a number.") from None
    if not value.is_finite() or not 0 <= value <= MAX_PERCENTAGE:
        raise ValueError(f"{label} must be between 0 and 200.")
    return to_cents(value)


def read_row(data, student_id, letters, codes, with_exam):
    """One row's inputs as an Entry, or the row's error messages."""
    errors = []
    override_letter = override_percentage = exam = None
    try:
        override_letter, override_percentage = parse_override(
            data.get(f"override-{student_id}"), letters
        )
    except ValueError as error:
        errors.append(f"Override: {error}")
    if with_exam:
        try:
            exam = _percentage(data.get(f"exam-{student_id}"), "The exam")
        except ValueError as error:
            errors.append(str(error))

    typed = (data.get(f"codes-{student_id}") or "").replace(",", " ").split()
    by_upper = {code.upper(): code for code in codes}
    unknown = [code for code in typed if code.upper() not in by_upper]
    if unknown:
        errors.append(f"Unknown comment code: {', '.join(unknown)}.")
    comment = (data.get(f"comment-{student_id}") or "").strip()
    if len(comment) > COMMENT_LIMIT:
        errors.append(f"The comment is longer than {COMMENT_LIMIT} characters.")
    if errors:
        return None, errors

    chosen = tuple(dict.fromkeys(by_upper[code.upper()] for code in typed))
    return Entry(override_letter, override_percentage, exam, chosen, comment), []


def read_rows(data, rows, letters, codes, with_exam):
    """Every row's Entry by student id, and errors by student id."""
    entries, errors = {}, {}
    for row in rows:
        entry, problems = read_row(data, row.student.id, letters, codes, with_exam)
        if problems:
            errors[row.student.id] = problems
        else:
            entries[row.student.id] = entry
    return entries, errors


def read_weights(data, parts):
    """Weights typed for each part (key: child id, None for the exam)."""
    weights, errors = {}, []
    for key, label in parts:
        name = "weight-exam" if key is None else f"weight-{key}"
        try:
            weights[key] = _percentage(data.get(name), f"{label}'s weight")
        except ValueError as error:
            errors.append(str(error))
    return weights, errors
