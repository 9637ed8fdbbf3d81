"""Forms of the users admin: new account and password reset."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from blueprints.students.forms import choices, strip
from blueprints.students.people import account_of, local_id_owner, normalize_email
from models import Staff, Student, User
from models.auth import ROLES

MIN_PASSWORD = 8
PASSWORD_RULE = Length(
    min=MIN_PASSWORD, max=200, message=f"Use at least {MIN_PASSWORD} characters."
)


class UserForm(FlaskForm):
    """Email, role, first password and the person the account belongs to."""

    email = EmailField(
        "Email",
        filters=[normalize_email],
        validators=[DataRequired(), Email(), Length(max=254)],
    )
    role = SelectField("Role", choices=choices(ROLES), default="teacher")
    password = PasswordField("Password", validators=[DataRequired(), PASSWORD_RULE])
    person = StringField(
        "Linked person (local id)", filters=[strip], validators=[Length(max=50)]
    )

    def __init__(self, *args, school_id, **kwargs):
        """Bind the form to the school whose people it may link."""
        super().__init__(*args, **kwargs)
        self.school_id = school_id
        self.linked = None

    def validate_email(self, field):
        """One account per email; name the account already using it."""
        holder = User.by_email(field.data)
        if holder is not None:
            raise ValidationError(
                f"Email {field.data} already belongs to the {holder.role} "
                f"account of {holder.display_name}."
            )

    def validate_person(self, field):
        """Students and teachers sign in as a record; one account per record."""
        model = Student if self.role.data == "student" else Staff
        kind = "student" if model is Student else "staff member"
        if not field.data:
            if self.role.data != "admin":
                raise ValidationError(f"Give the local id of the {kind} who signs in.")
            return
        person = local_id_owner(model, self.school_id, field.data)
        if person is None:
            raise ValidationError(f"No {kind} has local id {field.data}.")
        account = account_of(person)
        if account is not None:
            raise ValidationError(
                f"{person.full_name} ({person.local_id}) already has an account: "
                f"{account.email}."
            )
        self.linked = person

    def fill(self, user):
        """Copy the submitted values onto a new account."""
        user.email = self.email.data
        user.role = self.role.data
        user.set_password(self.password.data)
        user.student = self.linked if isinstance(self.linked, Student) else None
        user.staff = self.linked if isinstance(self.linked, Staff) else None


class PasswordForm(FlaskForm):
    """A new password, set by an admin."""

    password = PasswordField("New password", validators=[DataRequired(), PASSWORD_RULE])
