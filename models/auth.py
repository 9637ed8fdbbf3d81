"""Sign-in accounts and their roles."""

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import Timestamps, db

ROLES = ("admin", "teacher", "student")


class User(UserMixin, Timestamps, db.Model):
    """A login: an email, a password hash and one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    student_id: Mapped[int | None] = mapped_column(
        ForeignKey("students.id"), unique=True
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)

    student: Mapped["Student | None"] = relationship()  # noqa: F821
    staff: Mapped["Staff | None"] = relationship()  # noqa: F821

    def __repr__(self):
        return f"<User {self.email} {self.role}>"

    @property
    def is_active(self):
        """Flask-Login refuses sign-in to deactivated accounts."""
        return self.active

    def set_password(self, password):
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        """Say whether the password matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(
            self.password_hash, password
        )

    @property
    def display_name(self):
        """The person's name where one is linked, else the email."""
        person = self.student or self.staff
        return person.full_name if person else self.email

    @classmethod
    def by_email(cls, email):
        """Find a user by email, ignoring case."""
        email = (email or "").strip().lower()
        return db.session.scalar(db.select(cls).where(cls.email == email))
