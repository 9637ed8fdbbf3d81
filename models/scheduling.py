"""A student's place in a section, kept with its history."""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamps, db, new_external_id

ENROLLMENT_STATUSES = ("active", "dropped")


class Enrollment(Timestamps, db.Model):
    """One stint of a student in a section.

    Dropping sets the end date and status; the row stays, so history is never
    lost. Adding the student back opens a new stint.
    """

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    external_id: Mapped[str] = mapped_column(
        String(100), default=lambda: new_external_id("enrollment"), index=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="active")

    student: Mapped["Student"] = relationship()  # noqa: F821
    section: Mapped["Section"] = relationship()  # noqa: F821

    def __repr__(self):
        return f"<Enrollment {self.student_id} in {self.section_id} {self.status}>"

    @property
    def is_active(self):
        """True while the student is in the section."""
        return self.status == "active"
