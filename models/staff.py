"""Teachers and administrators."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Timestamps, db, new_external_id
from models.people import PersonNames

STAFF_ROLES = ("teacher", "admin")
STAFF_STATUSES = ("active", "inactive")


class Staff(PersonNames, Timestamps, db.Model):
    """A member of staff who may teach sections."""

    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("school_id", "local_id"),
        UniqueConstraint("school_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    external_id: Mapped[str] = mapped_column(
        String(100), default=lambda: new_external_id("staff")
    )
    local_id: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20), default="teacher")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)

    def __repr__(self):
        return f"<Staff {self.local_id} {self.last_name}>"
