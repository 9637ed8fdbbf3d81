"""Courses and the sections that teach them."""

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamps, db, new_external_id


class Course(Timestamps, db.Model):
    """A course in the catalogue: code, title, subject and credits."""

    __tablename__ = "courses"
    __table_args__ = (
        UniqueConstraint("school_id", "code"),
        UniqueConstraint("school_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    external_id: Mapped[str] = mapped_column(
        String(100), default=lambda: new_external_id("course")
    )
    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(100), default="")
    credits: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("1.00"))
    # Added to a passing grade's points in the weighted GPA (honours, AP).
    gpa_bonus: Mapped[Decimal] = mapped_column(
        Numeric(4, 2), default=Decimal(0), server_default="0"
    )
    active: Mapped[bool] = mapped_column(default=True)

    sections: Mapped[list["Section"]] = relationship(back_populates="course")

    def __repr__(self):
        return f"<Course {self.code}>"


class Section(Timestamps, db.Model):
    """One class of a course in a marking period, with its teachers."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("school_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    external_id: Mapped[str] = mapped_column(
        String(100), default=lambda: new_external_id("section")
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    marking_period_id: Mapped[int] = mapped_column(
        ForeignKey("marking_periods.id"), index=True
    )
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    co_teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    period: Mapped[str] = mapped_column(String(20), default="")
    room: Mapped[str] = mapped_column(String(50), default="")
    capacity: Mapped[int | None]
    virtual_class: Mapped[bool] = mapped_column(default=False)
    canvas_sync: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    course: Mapped[Course] = relationship(back_populates="sections")
    marking_period: Mapped["MarkingPeriod"] = relationship()  # noqa: F821
    teacher: Mapped["Staff | None"] = relationship(  # noqa: F821
        foreign_keys=[teacher_id]
    )
    co_teacher: Mapped["Staff | None"] = relationship(  # noqa: F821
        foreign_keys=[co_teacher_id]
    )

    def __repr__(self):
        return f"<Section {self.external_id}>"

    @property
    def name(self):
        """The section's title, or the course's with its period."""
        if self.title:
            return self.title
        suffix = f" (P{self.period})" if self.period else ""
        return f"{self.course.title}{suffix}"

    def is_taught_by(self, staff_id):
        """Say whether a staff member teaches this section."""
        return staff_id is not None and staff_id in (
            self.teacher_id,
            self.co_teacher_id,
        )
