"""A section's gradebook: configuration, assignment types, assignments, scores.

Grading scales are school-wide; everything else hangs off one section.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamps, db, utcnow
from models.grade_math import ROUNDING_MODES, Level
from models.school import MarkingPeriod

CANVAS_OPTIONS = (1, 2)
CANVAS_TYPE_NAME = "Canvas"
ASSIGNMENT_STATES = ("active", "unpublished", "ungraded", "deleted")
SCORE_SOURCES = ("homeroom", "canvas")
# The scale every school has from the start: letter, lowest %, GPA points, passing.
A_TO_F = (
    ("A", Decimal(90), Decimal("4.0"), True),
    ("B", Decimal(80), Decimal("3.0"), True),
    ("C", Decimal(70), Decimal("2.0"), True),
    ("D", Decimal(60), Decimal("1.0"), True),
    ("F", Decimal(0), Decimal("0.0"), False),
)


class GradingScale(Timestamps, db.Model):
    """A school-wide set of letters with their cut-offs and GPA points."""

    __tablename__ = "grading_scales"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(default=False, server_default=false())

    levels: Mapped[list["GradingScaleLevel"]] = relationship(
        back_populates="scale",
        order_by="GradingScaleLevel.min_percentage.desc()",
        cascade="all, delete-orphan",
    )

    def __repr__(self):
        return f"<GradingScale {self.name}>"

    def as_levels(self):
        """The scale as plain grade-math levels."""
        return [
            Level(lv.letter, lv.min_percentage, lv.gpa_points, lv.passing)
            for lv in self.levels
        ]

    @classmethod
    def for_school(cls, school_id):
        """Scales a school may use: its own and the shared ones, default first."""
        return db.session.scalars(
            db.select(cls)
            .where((cls.school_id == school_id) | cls.school_id.is_(None))
            .order_by(cls.is_default.desc(), cls.name)
        ).all()

    @classmethod
    def default(cls, school_id=None):
        """The school's default scale: the A-F scale the migration seeds.

        Made again (not committed) if someone removed every scale, so a
        gradebook always has letters.
        """
        scales = cls.for_school(school_id)
        if scales:
            return scales[0]
        scale = cls(school_id=None, name="A-F", is_default=True)
        scale.levels = [
            GradingScaleLevel(
                letter=letter, min_percentage=low, gpa_points=points, passing=passing
            )
            for letter, low, points, passing in A_TO_F
        ]
        db.session.add(scale)
        db.session.flush()
        return scale


class GradingScaleLevel(db.Model):
    """One letter of a scale: the lowest percentage that earns it."""

    __tablename__ = "grading_scale_levels"
    __table_args__ = (UniqueConstraint("scale_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scale_id: Mapped[int] = mapped_column(
        ForeignKey("grading_scales.id", ondelete="CASCADE"), index=True
    )
    letter: Mapped[str] = mapped_column(String(5))
    min_percentage: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    gpa_points: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    passing: Mapped[bool] = mapped_column(default=True, server_default=true())

    scale: Mapped[GradingScale] = relationship(back_populates="levels")


class GradebookConfig(Timestamps, db.Model):
    """How one section's gradebook counts, and its Canvas pull bookkeeping."""

    __tablename__ = "gradebook_configs"
    __table_args__ = (
        CheckConstraint(
            "canvas_option IS NULL OR canvas_option IN (1, 2)", name="canvas_option"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), unique=True
    )
    canvas_option: Mapped[int | None]
    locked_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    weighted: Mapped[bool] = mapped_column(default=False, server_default=false())
    rounding: Mapped[str] = mapped_column(
        String(10), default="none", server_default="none"
    )
    missing_as_zero: Mapped[bool] = mapped_column(default=False, server_default=false())
    scale_id: Mapped[int | None] = mapped_column(ForeignKey("grading_scales.id"))
    canvas_weights_groups: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    coursework_pulled_at: Mapped[datetime | None] = mapped_column(
        db.DateTime(timezone=True)
    )
    grades_pulled_at: Mapped[datetime | None] = mapped_column(
        db.DateTime(timezone=True)
    )

    scale: Mapped[GradingScale | None] = relationship()

    def __repr__(self):
        return (
            f"<GradebookConfig section {self.section_id} option {self.canvas_option}>"
        )

    @property
    def locked(self):
        """The Canvas option cannot change once saved."""
        return self.locked_at is not None

    def lock(self):
        """Record the moment the Canvas option was fixed."""
        if self.locked_at is None:
            self.locked_at = utcnow()

    @classmethod
    def for_section(cls, section, create=True):
        """The section's configuration, made with defaults on first use."""
        config = db.session.scalar(db.select(cls).where(cls.section_id == section.id))
        if config is None and create:
            default = GradingScale.default(section.school_id)
            config = cls(
                section_id=section.id,
                rounding="none",
                weighted=False,
                missing_as_zero=False,
                scale=default,
            )
            db.session.add(config)
            db.session.flush()
        return config


class AssignmentType(Timestamps, db.Model):
    """A category of work in a section (Homework, Tests, Canvas) and its weight."""

    __tablename__ = "assignment_types"
    __table_args__ = (UniqueConstraint("section_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    weight: Mapped[Decimal] = mapped_column(
        Numeric(6, 2), default=Decimal(0), server_default="0"
    )
    is_canvas: Mapped[bool] = mapped_column(default=False, server_default=false())
    sort_order: Mapped[int] = mapped_column(default=0, server_default=false())

    assignments: Mapped[list["Assignment"]] = relationship(back_populates="type")

    def __repr__(self):
        return f"<AssignmentType {self.name} {self.weight}>"

    @classmethod
    def canvas_for(cls, section_id):
        """The section's "Canvas" type, added (not committed) when first needed."""
        kind = db.session.scalar(
            db.select(cls).where(cls.section_id == section_id, cls.is_canvas)
        )
        if kind is None:
            kind = cls(
                section_id=section_id,
                name=CANVAS_TYPE_NAME,
                weight=Decimal(0),
                is_canvas=True,
                sort_order=1000,
            )
            db.session.add(kind)
            db.session.flush()
        return kind

    @classmethod
    def of_section(cls, section_id):
        """A section's types, Homeroom's first, then the Canvas type."""
        return db.session.scalars(
            db.select(cls)
            .where(cls.section_id == section_id)
            .order_by(cls.is_canvas, cls.sort_order, cls.name)
        ).all()


class Assignment(Timestamps, db.Model):
    """One piece of graded work, made here or brought over from Canvas."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("section_id", "canvas_assignment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    type_id: Mapped[int] = mapped_column(ForeignKey("assignment_types.id"), index=True)
    marking_period_id: Mapped[int | None] = mapped_column(
        ForeignKey("marking_periods.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(255))
    points: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    assigned_on: Mapped[date | None]
    due_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    canvas_assignment_id: Mapped[int | None] = mapped_column(BigInteger)
    canvas_quiz_id: Mapped[int | None] = mapped_column(BigInteger)
    canvas_group_id: Mapped[int | None] = mapped_column(BigInteger)
    canvas_url: Mapped[str | None] = mapped_column(String(500))
    canvas_updated_at: Mapped[str | None] = mapped_column(String(40))
    is_quiz: Mapped[bool] = mapped_column(default=False, server_default=false())
    from_canvas: Mapped[bool] = mapped_column(default=False, server_default=false())
    state: Mapped[str] = mapped_column(
        String(20), default="active", server_default="active"
    )

    type: Mapped[AssignmentType] = relationship(back_populates="assignments")

    def __repr__(self):
        return f"<Assignment {self.title}>"

    @property
    def read_only(self):
        """Scores of Canvas's own work are kept in Canvas."""
        return self.from_canvas

    @classmethod
    def of_section(cls, section_id, marking_period_id=None):
        """A section's assignments in gradebook order: by due date, then title.

        A marking period takes the work of the periods inside it too: a
        semester's grade counts its quarters' work.
        """
        query = db.select(cls).where(cls.section_id == section_id)
        if marking_period_id is not None:
            query = query.where(
                cls.marking_period_id.in_(MarkingPeriod.within(marking_period_id))
                | cls.marking_period_id.is_(None)
            )
        return db.session.scalars(
            query.order_by(cls.due_on.is_(None), cls.due_on, cls.title, cls.id)
        ).all()


class Score(Timestamps, db.Model):
    """A student's result on an assignment: points or a mark (EX, missing, late)."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    excused: Mapped[bool] = mapped_column(default=False, server_default=false())
    missing: Mapped[bool] = mapped_column(default=False, server_default=false())
    late: Mapped[bool] = mapped_column(default=False, server_default=false())
    source: Mapped[str] = mapped_column(
        String(10), default="homeroom", server_default="homeroom"
    )

    def __repr__(self):
        return f"<Score {self.assignment_id}/{self.student_id} {self.points}>"

    @property
    def is_empty(self):
        """No points and no mark: the same as no row."""
        return self.points is None and not (self.excused or self.missing or self.late)


class CanvasGroup(db.Model):
    """A Canvas assignment group of a section's course and its weight."""

    __tablename__ = "canvas_groups"
    __table_args__ = (UniqueConstraint("section_id", "canvas_group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    canvas_group_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(255))
    weight: Mapped[Decimal] = mapped_column(
        Numeric(6, 2), default=Decimal(0), server_default="0"
    )
    position: Mapped[int] = mapped_column(default=0, server_default=false())


class CanvasCourseScore(db.Model):
    """A student's course score as Canvas computed it, from the last pull."""

    __tablename__ = "canvas_course_scores"
    __table_args__ = (UniqueConstraint("section_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    current_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    final_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    current_grade: Mapped[str | None] = mapped_column(String(20))
    final_grade: Mapped[str | None] = mapped_column(String(20))
    pulled_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow
    )


def rounding_choices():
    """The rounding modes with the words the configuration page shows."""
    words = {
        "normal": "Normal (89.5 becomes 90)",
        "up": "Up (89.1 becomes 90)",
        "down": "Down (89.9 becomes 89)",
        "none": "None (keep two decimals)",
    }
    return [(mode, words[mode]) for mode in ROUNDING_MODES]
