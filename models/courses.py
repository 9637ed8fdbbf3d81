"""Courses and the sections that teach them."""

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from models.base import Timestamps, db, new_external_id
from models.scheduling import Enrollment


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

    @classmethod
    def by_code(cls, school_id, code, exclude_id=None):
        """Find the course using a code, ignoring case; optionally not this one."""
        query = db.select(cls).where(
            cls.school_id == school_id,
            db.func.lower(cls.code) == (code or "").strip().lower(),
        )
        if exclude_id is not None:
            query = query.where(cls.id != exclude_id)
        return db.session.scalar(query.limit(1))

    @classmethod
    def listing(cls, school_id, staff_id=None):
        """A query of the school's courses by code; or of those a teacher teaches."""
        query = db.select(cls).where(cls.school_id == school_id).order_by(cls.code)
        if staff_id is not None:
            taught = db.select(Section.course_id).where(
                Section.taught_by_clause(staff_id)
            )
            query = query.where(cls.id.in_(taught))
        return query

    @classmethod
    def section_counts(cls, course_ids, staff_id=None):
        """Map course id to its number of sections (a teacher's own, if given)."""
        query = (
            db.select(Section.course_id, db.func.count(Section.id))
            .where(Section.course_id.in_(course_ids))
            .group_by(Section.course_id)
        )
        if staff_id is not None:
            query = query.where(Section.taught_by_clause(staff_id))
        return dict(db.session.execute(query).all())


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

    @classmethod
    def taught_by_clause(cls, staff_id):
        """A WHERE clause: the staff member is the first or second teacher."""
        return (cls.teacher_id == staff_id) | (cls.co_teacher_id == staff_id)

    @classmethod
    def with_details(cls, section_id):
        """Load a section with its course, period and teachers in one query."""
        return db.session.scalar(
            db.select(cls)
            .where(cls.id == section_id)
            .options(
                joinedload(cls.course),
                joinedload(cls.marking_period),
                joinedload(cls.teacher),
                joinedload(cls.co_teacher),
            )
        )

    @classmethod
    def of_course(cls, course_id, staff_id=None):
        """A course's sections as (section, active head count), by period.

        With a staff id, only the sections that teacher teaches.
        """
        active = (
            db.select(db.func.count(Enrollment.id))
            .where(Enrollment.section_id == cls.id, Enrollment.status == "active")
            .scalar_subquery()
        )
        query = (
            db.select(cls, active)
            .where(cls.course_id == course_id)
            .options(
                joinedload(cls.marking_period),
                joinedload(cls.teacher),
                joinedload(cls.co_teacher),
            )
            .order_by(cls.period, cls.id)
        )
        if staff_id is not None:
            query = query.where(cls.taught_by_clause(staff_id))
        return db.session.execute(query).all()

    def is_taught_by(self, staff_id):
        """Say whether a staff member teaches this section."""
        return staff_id is not None and staff_id in (
            self.teacher_id,
            self.co_teacher_id,
        )
