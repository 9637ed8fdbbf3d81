"""The school and its calendar of marking periods."""

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamps, db, new_external_id

PERIOD_KINDS = ("year", "semester", "quarter", "progress")


class School(Timestamps, db.Model):
    """One school; every record carries its id so a second is a migration."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")

    @classmethod
    def current(cls):
        """Return the installation's school, creating it on first use."""
        school = db.session.scalar(db.select(cls).order_by(cls.id).limit(1))
        if school is None:
            school = cls(name="Homeroom School")
            db.session.add(school)
            db.session.flush()
        return school


class MarkingPeriod(Timestamps, db.Model):
    """A node of the calendar tree: year, semester, quarter or progress period."""

    __tablename__ = "marking_periods"
    __table_args__ = (UniqueConstraint("school_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("marking_periods.id"), index=True
    )
    external_id: Mapped[str] = mapped_column(
        String(100), default=lambda: new_external_id("term")
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date]
    end_date: Mapped[date]
    post_start: Mapped[date | None]
    post_end: Mapped[date | None]
    does_grades: Mapped[bool] = mapped_column(default=True)
    does_exams: Mapped[bool] = mapped_column(default=False)
    does_comments: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    parent: Mapped["MarkingPeriod | None"] = relationship(
        remote_side=[id], back_populates="children"
    )
    children: Mapped[list["MarkingPeriod"]] = relationship(
        back_populates="parent", order_by="MarkingPeriod.start_date"
    )

    def __repr__(self):
        return f"<MarkingPeriod {self.short_name}>"

    @classmethod
    def tree(cls, school_id):
        """Return the school's periods in tree order as (period, depth) pairs.

        One query; the tree is assembled here so pages need no lazy loads.
        """
        periods = db.session.scalars(
            db.select(cls)
            .where(cls.school_id == school_id)
            .order_by(cls.sort_order, cls.start_date, cls.id)
        ).all()
        known = {period.id for period in periods}
        by_parent = {}
        for period in periods:
            parent = period.parent_id if period.parent_id in known else None
            by_parent.setdefault(parent, []).append(period)

        ordered = []

        def walk(parent_id, depth):
            for period in by_parent.get(parent_id, ()):
                ordered.append((period, depth))
                walk(period.id, depth + 1)

        walk(None, 0)
        return ordered

    @classmethod
    def within(cls, period_id):
        """The period's id and the ids of every period inside it, in one query."""
        school_id = (
            db.select(cls.school_id).where(cls.id == period_id).scalar_subquery()
        )
        children = {}
        for child_id, parent_id in db.session.execute(
            db.select(cls.id, cls.parent_id).where(cls.school_id == school_id)
        ):
            children.setdefault(parent_id, []).append(child_id)
        found, todo = [], [period_id]
        while todo:
            current = todo.pop()
            found.append(current)
            todo.extend(children.get(current, ()))
        return found

    def is_posting_open(self, on):
        """Say whether teachers may post grades for this period on a date."""
        if self.post_start is None or self.post_end is None:
            return False
        return self.post_start <= on <= self.post_end
