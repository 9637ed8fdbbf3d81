"""What students and staff have in common."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

PERSON_STATUSES = ("active", "inactive", "withdrawn")


class PersonNames:
    """Name columns and the ways pages show them."""

    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(254))

    @property
    def full_name(self):
        """First (or preferred) name and last name."""
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def sortable_name(self):
        """Last name first, as rosters sort."""
        return f"{self.last_name}, {self.preferred_name or self.first_name}"
