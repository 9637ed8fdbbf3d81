"""The queries behind the grading scale pages."""

from models import GradebookConfig, GradingScale, db


def gradebook_uses():
    """How many gradebooks use each scale, keyed by scale id."""
    rows = db.session.execute(
        db.select(GradebookConfig.scale_id, db.func.count(GradebookConfig.id))
        .where(GradebookConfig.scale_id.is_not(None))
        .group_by(GradebookConfig.scale_id)
    )
    return {scale_id: count for scale_id, count in rows}


def uses_of(scale_id):
    """How many gradebooks use one scale."""
    return db.session.scalar(
        db.select(db.func.count(GradebookConfig.id)).where(
            GradebookConfig.scale_id == scale_id
        )
    )


def scale_of_school(scale_id, school_id):
    """A scale the school may use (its own or a shared one), or None."""
    scale = db.session.get(GradingScale, scale_id)
    if scale is None or scale.school_id not in (None, school_id):
        return None
    return scale
