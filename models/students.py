"""Students."""

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Timestamps, db, new_external_id
from models.people import PersonNames

GRADE_LEVELS = (
    "PK", "KG", "01", "02", "03", "04", "05", "06",
    "07", "08", "09", "10", "11", "12",
)  # fmt: skip
STUDENT_STATUSES = ("active", "inactive", "withdrawn")


class Student(PersonNames, Timestamps, db.Model):
    """A student; the local id is stable and never reused."""

    __tablename__ = "students"
    __table_args__ = (
        UniqueConstraint("school_id", "local_id"),
        UniqueConstraint("school_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    external_id: Mapped[str] = mapped_column(
        String(100), default=lambda: new_external_id("student")
    )
    local_id: Mapped[str] = mapped_column(String(50))
    grade_level: Mapped[str] = mapped_column(String(5), index=True)
    birthdate: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)

    def __repr__(self):
        return f"<Student {self.local_id} {self.last_name}>"
