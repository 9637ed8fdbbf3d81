"""Final grades on record, section completion, period weights, comment codes.

A final grade keeps what the gradebook computed beside any override, and
snapshots what GPA needs (points, bonus, passing, credits), so report cards
and transcripts read stored rows and never recompute a closed period.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamps, db, utcnow
from models.final_grade_math import MERGED, GradeLine

PCT = Numeric(6, 2)


class FinalGrade(Timestamps, db.Model):
    """A student's grade in a section for one marking period, as submitted."""

    __tablename__ = "final_grades"
    __table_args__ = (
        UniqueConstraint("student_id", "section_id", "marking_period_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    marking_period_id: Mapped[int] = mapped_column(
        ForeignKey("marking_periods.id"), index=True
    )
    computed_percentage: Mapped[Decimal | None] = mapped_column(PCT)
    computed_letter: Mapped[str | None] = mapped_column(String(5))
    exam_percentage: Mapped[Decimal | None] = mapped_column(PCT)
    override_letter: Mapped[str | None] = mapped_column(String(5))
    override_percentage: Mapped[Decimal | None] = mapped_column(PCT)
    percentage: Mapped[Decimal | None] = mapped_column(PCT)
    letter: Mapped[str | None] = mapped_column(String(5))
    gpa_points: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    gpa_bonus: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(0))
    passing: Mapped[bool] = mapped_column(default=True)
    credits_attempted: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal(0)
    )
    credits_earned: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    comment_codes: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default=MERGED)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow
    )

    student: Mapped["Student"] = relationship()  # noqa: F821
    section: Mapped["Section"] = relationship()  # noqa: F821
    marking_period: Mapped["MarkingPeriod"] = relationship()  # noqa: F821

    def __repr__(self):
        return f"<FinalGrade {self.student_id} {self.section_id} {self.letter}>"

    @property
    def codes(self):
        """The comment codes as a list."""
        return [code for code in self.comment_codes.split() if code]

    def grade_line(self, dropped=False):
        """This grade as the GPA arithmetic sees it."""
        return GradeLine(
            points=self.gpa_points,
            credits=self.credits_attempted,
            passing=self.passing,
            bonus=self.gpa_bonus,
            dropped=dropped,
        )

    @classmethod
    def for_section(cls, section_id, marking_period_id):
        """The section's grades for a period, keyed by student id."""
        rows = db.session.scalars(
            db.select(cls).where(
                cls.section_id == section_id,
                cls.marking_period_id == marking_period_id,
            )
        )
        return {grade.student_id: grade for grade in rows}


class SectionCompletion(db.Model):
    """A teacher's word that a section's grades for a period are in."""

    __tablename__ = "section_completions"
    __table_args__ = (UniqueConstraint("section_id", "marking_period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    marking_period_id: Mapped[int] = mapped_column(
        ForeignKey("marking_periods.id"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow
    )

    staff: Mapped["Staff | None"] = relationship()  # noqa: F821
    completed_by: Mapped["User | None"] = relationship()  # noqa: F821

    @classmethod
    def record(cls, section, marking_period_id, user):
        """Mark the section complete for the period now, by this user."""
        row = db.session.scalar(
            db.select(cls).where(
                cls.section_id == section.id,
                cls.marking_period_id == marking_period_id,
            )
        )
        if row is None:
            row = cls(section_id=section.id, marking_period_id=marking_period_id)
            db.session.add(row)
        row.staff_id = section.teacher_id
        row.completed_by_id = user.id if user is not None else None
        row.completed_at = utcnow()
        return row


class PeriodWeight(db.Model):
    """The weight of a child period, or of the exam, in its parent's grade."""

    __tablename__ = "period_weights"
    __table_args__ = (UniqueConstraint("parent_id", "child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("marking_periods.id"), index=True)
    # No child period means the parent's own exam.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("marking_periods.id"))
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    @property
    def is_exam(self):
        """True for the exam's share."""
        return self.child_id is None

    @classmethod
    def of(cls, parent_id):
        """The weights set for a parent period, keyed by child id (None: exam)."""
        rows = db.session.scalars(db.select(cls).where(cls.parent_id == parent_id))
        return {row.child_id: row.weight for row in rows}

    @classmethod
    def replace(cls, parent_id, weights):
        """Set a parent's weights to exactly these; unset or zero parts go away."""
        db.session.execute(db.delete(cls).where(cls.parent_id == parent_id))
        for child_id, weight in weights.items():
            if weight:
                db.session.add(
                    cls(parent_id=parent_id, child_id=child_id, weight=weight)
                )


class CommentCode(db.Model):
    """A short code teachers put on report cards; no school means built in."""

    __tablename__ = "comment_codes"
    __table_args__ = (UniqueConstraint("school_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    code: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    @classmethod
    def available(cls, school_id):
        """The active codes a school may use, built-in ones included, by code."""
        rows = db.session.scalars(
            db.select(cls)
            .where((cls.school_id == school_id) | (cls.school_id.is_(None)))
            .where(cls.active.is_(True))
            .order_by(cls.code)
        )
        return {row.code: row.text for row in rows}

    @classmethod
    def listing(cls, school_id):
        """Every code a school sees, active or not, built-in ones included."""
        return db.session.scalars(
            db.select(cls)
            .where((cls.school_id == school_id) | (cls.school_id.is_(None)))
            .order_by(cls.code)
        ).all()
