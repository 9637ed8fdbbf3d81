"""The student form, shared by create and edit."""

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from blueprints.students.people import email_owner, local_id_owner, normalize_email
from models import Student
from models.students import GRADE_LEVELS, STUDENT_STATUSES


def choices(values, blank=None):
    """Select options for plain values, labelled capitalised; blank first."""
    options = [SelectChoice("", blank)] if blank else []
    return options + [SelectChoice(value, value.capitalize()) for value in values]


def strip(value):
    """Trim text fields; WTForms passes None for missing ones."""
    return value.strip() if isinstance(value, str) else value


LOCAL_ID_RULE = Regexp(
    r"^[A-Za-z0-9._-]+$", message="Use letters, digits, dots, dashes or underscores."
)


class PersonForm(FlaskForm):
    """What the student and staff forms share: local id, names and checks.

    A subclass names its model, the keyword email_owner takes for it, the
    fields it copies onto the record, and declares its own email field.
    """

    model = None
    owner_keyword = None
    fields = ()

    local_id = StringField(
        "Local id",
        filters=[strip],
        validators=[DataRequired(), Length(max=50), LOCAL_ID_RULE],
    )
    first_name = StringField(
        "First name", filters=[strip], validators=[DataRequired(), Length(max=100)]
    )
    middle_name = StringField(
        "Middle name", filters=[strip], validators=[Length(max=100)]
    )
    last_name = StringField(
        "Last name", filters=[strip], validators=[DataRequired(), Length(max=100)]
    )
    preferred_name = StringField(
        "Preferred name", filters=[strip], validators=[Length(max=100)]
    )

    # A student's local id is on report cards and transcripts: once given it
    # never changes, so the edit form shows it read-only and ignores a new one.
    fixed_local_id = False

    def __init__(self, *args, school_id, person=None, **kwargs):
        """Bind the form to the school, and to the person when editing."""
        super().__init__(*args, obj=person, **kwargs)
        self.school_id = school_id
        self.person_id = person.id if person else None
        if self.fixed_local_id and person is not None:
            self.local_id.data = person.local_id
            self.local_id.render_kw = {"readonly": True}

    def validate_local_id(self, field):
        """A local id belongs to one person for good; name the holder."""
        owner = local_id_owner(self.model, self.school_id, field.data, self.person_id)
        if owner is not None:
            raise ValidationError(
                f"Local id {field.data} already belongs to {owner.full_name}."
            )

    def validate_email(self, field):
        """One email per person across students and staff; name the holder."""
        owner = email_owner(field.data, **{self.owner_keyword: self.person_id})
        if owner is not None:
            raise ValidationError(f"Email {field.data} already belongs to {owner}.")

    def fill(self, person):
        """Copy the submitted values onto the record."""
        for name in self.fields:
            setattr(person, name, getattr(self, name).data)


class StudentForm(PersonForm):
    """Names, contact, grade and status of a student."""

    model = Student
    owner_keyword = "student_id"
    fixed_local_id = True
    fields = (
        "local_id",
        "first_name",
        "middle_name",
        "last_name",
        "preferred_name",
        "email",
        "grade_level",
        "birthdate",
        "status",
    )

    email = EmailField(
        "Email",
        filters=[normalize_email],
        validators=[Optional(), Email(), Length(max=254)],
    )
    grade_level = SelectField(
        "Grade level",
        choices=choices(GRADE_LEVELS, blank="Choose…"),
        validators=[DataRequired(message="Choose a grade level.")],
    )
    birthdate = DateField("Birthdate", validators=[Optional()])
    status = SelectField("Status", choices=choices(STUDENT_STATUSES))
