"""The staff form, shared by create and edit."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from blueprints.students.forms import LOCAL_ID_RULE, choices, strip
from blueprints.students.people import email_owner, local_id_owner, normalize_email
from models import Staff
from models.staff import STAFF_ROLES, STAFF_STATUSES

STAFF_FIELDS = (
    "local_id",
    "first_name",
    "middle_name",
    "last_name",
    "preferred_name",
    "email",
    "title",
    "role",
    "status",
)


class StaffForm(FlaskForm):
    """Names, email, title, role and status of a staff member."""

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
    email = EmailField(
        "Email",
        filters=[normalize_email],
        validators=[DataRequired(), Email(), Length(max=254)],
    )
    title = StringField("Title", filters=[strip], validators=[Length(max=100)])
    role = SelectField("Role", choices=choices(STAFF_ROLES))
    status = SelectField("Status", choices=choices(STAFF_STATUSES))

    def __init__(self, *args, school_id, member=None, **kwargs):
        """Bind the form to the school, and to the staff member when editing."""
        super().__init__(*args, obj=member, **kwargs)
        self.school_id = school_id
        self.staff_id = member.id if member else None

    def validate_local_id(self, field):
        """A local id belongs to one staff member; name the holder."""
        owner = local_id_owner(Staff, self.school_id, field.data, self.staff_id)
        if owner is not None:
            raise ValidationError(
                f"Local id {field.data} already belongs to {owner.full_name}."
            )

    def validate_email(self, field):
        """One email per person across students and staff; name the holder."""
        owner = email_owner(field.data, staff_id=self.staff_id)
        if owner is not None:
            raise ValidationError(f"Email {field.data} already belongs to {owner}.")

    def fill(self, member):
        """Copy the submitted values onto the staff member."""
        for name in STAFF_FIELDS:
            setattr(member, name, getattr(self, name).data)
