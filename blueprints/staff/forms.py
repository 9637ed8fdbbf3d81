"""The staff form, shared by create and edit."""

from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from blueprints.students.forms import PersonForm, choices, strip
from blueprints.students.people import normalize_email
from models import Staff
from models.staff import STAFF_ROLES, STAFF_STATUSES


class StaffForm(PersonForm):
    """Names, email, title, role and status of a staff member."""

    model = Staff
    owner_keyword = "staff_id"
    fields = (
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

    email = EmailField(
        "Email",
        filters=[normalize_email],
        validators=[DataRequired(), Email(), Length(max=254)],
    )
    title = StringField("Title", filters=[strip], validators=[Length(max=100)])
    role = SelectField("Role", choices=choices(STAFF_ROLES))
    status = SelectField("Status", choices=choices(STAFF_STATUSES))
