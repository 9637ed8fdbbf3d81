"""The SQLAlchemy handle and the pieces every model shares."""

import uuid
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let Alembic drop and alter them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


def utcnow():
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_external_id(prefix):
    """Return a fresh external id for a record made in Homeroom.

    Random rather than sequential so an id is never handed out twice, even
    after a record is deleted or two servers are merged.
    """
    return f"hr-{prefix}-{uuid.uuid4().hex[:12]}"


class Timestamps:
    """Created and updated times, kept by the database session."""

    created_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow, nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False
    )
