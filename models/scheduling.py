"""A student's place in a section, kept with its history."""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, contains_eager, mapped_column, relationship

from models.base import Timestamps, db, new_external_id
from models.students import Student

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

    @classmethod
    def roster(cls, section_id, status="active"):
        """A section's stints of one status with their students, in name order.

        Dropped stints come most recent first, as history reads.
        """
        query = (
            db.select(cls)
            .join(cls.student)
            .where(cls.section_id == section_id, cls.status == status)
            .options(contains_eager(cls.student))
        )
        if status == "dropped":
            query = query.order_by(cls.end_date.desc(), cls.id.desc())
        else:
            query = query.order_by(Student.last_name, Student.first_name, cls.id)
        return db.session.scalars(query).all()

    @classmethod
    def active_count(cls, section_id):
        """How many students are in the section now."""
        return db.session.scalar(
            db.select(db.func.count(cls.id)).where(
                cls.section_id == section_id, cls.status == "active"
            )
        )

    @classmethod
    def latest(cls, student_id, section_id):
        """The student's most recent stint in the section, or None."""
        return db.session.scalar(
            db.select(cls)
            .where(cls.student_id == student_id, cls.section_id == section_id)
            .order_by(cls.start_date.desc(), cls.id.desc())
            .limit(1)
        )

    @property
    def is_active(self):
        """True while the student is in the section."""
        return self.status == "active"
