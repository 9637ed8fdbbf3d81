"""The LMS settings form."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, ValidationError

from models.lms import DROP_ACTIONS

DROP_LABELS = {
    "conclude": "Conclude (the student keeps read-only access)",
    "delete": "Delete (the student loses the course)",
    "inactivate": "Inactivate (hidden from the student, kept for grades)",
}


class CanvasSettingsForm(FlaskForm):
    """Canvas address, token, account and what sync does."""

    url = URLField(
        "Canvas URL",
        filters=[lambda v: v.strip().rstrip("/") if isinstance(v, str) else v],
        validators=[
            DataRequired(),
            URL(
                require_tld=False,
                message="Enter the address, e.g. https://school.instructure.com.",
            ),
            Length(max=300),
        ],
    )
    token = PasswordField(
        "Access token",
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[Length(max=500)],
    )
    account_id = IntegerField(
        "Account id", default=1, validators=[DataRequired(), NumberRange(min=1)]
    )
    drop_action = SelectField(
        "When a student is dropped",
        choices=[SelectChoice(action, DROP_LABELS[action]) for action in DROP_ACTIONS],
    )
    send_invitations = BooleanField("Canvas sends enrollment invitations")
    new_sections_virtual = BooleanField(
        "New sections from the roster import are Virtual Classes"
    )
    new_sections_sync = BooleanField(
        "New sections from the roster import synchronize with Canvas"
    )
    has_token = False

    def __init__(self, *args, settings=None, **kwargs):
        """Bind to the saved settings; the token is never put back in the form."""
        super().__init__(*args, obj=settings, **kwargs)
        self.has_token = bool(settings and settings.token_encrypted)
        if not self.is_submitted():
            self.token.data = ""

    def validate_token(self, field):
        """A token is needed the first time; afterwards blank keeps the saved one."""
        if not field.data and not self.has_token:
            raise ValidationError(
                "Paste an access token made in Canvas under Account › Settings."
            )

    def fill(self, settings):
        """Copy the values onto the settings; a blank token keeps the old one."""
        settings.url = self.url.data
        if self.token.data:
            settings.token = self.token.data
        settings.account_id = self.account_id.data
        settings.drop_action = self.drop_action.data
        settings.send_invitations = self.send_invitations.data
        settings.new_sections_virtual = self.new_sections_virtual.data
        settings.new_sections_sync = (
            self.new_sections_sync.data and self.new_sections_virtual.data
        )
