"""Create the gradebook: scales, configuration, types, assignments, scores

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 19:10:00.000000

"""

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The scale every school has from the start: letter, lowest %, GPA points, passing.
A_TO_F = [
    ("A", Decimal("90"), Decimal("4.0"), True),
    ("B", Decimal("80"), Decimal("3.0"), True),
    ("C", Decimal("70"), Decimal("2.0"), True),
    ("D", Decimal("60"), Decimal("1.0"), True),
    ("F", Decimal("0"), Decimal("0.0"), False),
]


def upgrade():
    op.create_table(
        "grading_scales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "is_default", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_grading_scales_school_id_schools"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grading_scales")),
        sa.UniqueConstraint(
            "school_id", "name", name=op.f("uq_grading_scales_school_id_name")
        ),
    )
    with op.batch_alter_table("grading_scales", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grading_scales_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "grading_scale_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scale_id", sa.Integer(), nullable=False),
        sa.Column("letter", sa.String(length=5), nullable=False),
        sa.Column("min_percentage", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("gpa_points", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("passing", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scale_id"],
            ["grading_scales.id"],
            name=op.f("fk_grading_scale_levels_scale_id_grading_scales"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grading_scale_levels")),
        sa.UniqueConstraint(
            "scale_id", "letter", name=op.f("uq_grading_scale_levels_scale_id_letter")
        ),
    )
    with op.batch_alter_table("grading_scale_levels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grading_scale_levels_scale_id"), ["scale_id"], unique=False
        )

    op.create_table(
        "assignment_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "weight",
            sa.Numeric(precision=6, scale=2),
            server_default="0",
            nullable=False,
        ),
        sa.Column("is_canvas", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "sort_order", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_assignment_types_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_types")),
        sa.UniqueConstraint(
            "section_id", "name", name=op.f("uq_assignment_types_section_id_name")
        ),
    )
    with op.batch_alter_table("assignment_types", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_types_section_id"), ["section_id"], unique=False
        )

    op.create_table(
        "canvas_course_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("current_score", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("final_score", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("current_grade", sa.String(length=20), nullable=True),
        sa.Column("final_grade", sa.String(length=20), nullable=True),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_canvas_course_scores_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.id"],
            name=op.f("fk_canvas_course_scores_student_id_students"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canvas_course_scores")),
        sa.UniqueConstraint(
            "section_id",
            "student_id",
            name=op.f("uq_canvas_course_scores_section_id_student_id"),
        ),
    )
    with op.batch_alter_table("canvas_course_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canvas_course_scores_section_id"),
            ["section_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_canvas_course_scores_student_id"),
            ["student_id"],
            unique=False,
        )

    op.create_table(
        "canvas_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("canvas_group_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "weight",
            sa.Numeric(precision=6, scale=2),
            server_default="0",
            nullable=False,
        ),
        sa.Column(
            "position", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_canvas_groups_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canvas_groups")),
        sa.UniqueConstraint(
            "section_id",
            "canvas_group_id",
            name=op.f("uq_canvas_groups_section_id_canvas_group_id"),
        ),
    )
    with op.batch_alter_table("canvas_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canvas_groups_section_id"), ["section_id"], unique=False
        )

    op.create_table(
        "gradebook_configs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("canvas_option", sa.Integer(), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("weighted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "rounding", sa.String(length=10), server_default="none", nullable=False
        ),
        sa.Column(
            "missing_as_zero", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column("scale_id", sa.Integer(), nullable=True),
        sa.Column(
            "canvas_weights_groups",
            sa.Boolean(),
            server_default=sa.false(),
            nullable=False,
        ),
        sa.Column("coursework_pulled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("grades_pulled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "canvas_option IS NULL OR canvas_option IN (1, 2)",
            name=op.f("ck_gradebook_configs_canvas_option"),
        ),
        sa.ForeignKeyConstraint(
            ["scale_id"],
            ["grading_scales.id"],
            name=op.f("fk_gradebook_configs_scale_id_grading_scales"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_gradebook_configs_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gradebook_configs")),
        sa.UniqueConstraint("section_id", name=op.f("uq_gradebook_configs_section_id")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("marking_period_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("points", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("canvas_assignment_id", sa.BigInteger(), nullable=True),
        sa.Column("canvas_quiz_id", sa.BigInteger(), nullable=True),
        sa.Column("canvas_group_id", sa.BigInteger(), nullable=True),
        sa.Column("canvas_url", sa.String(length=500), nullable=True),
        sa.Column("canvas_updated_at", sa.String(length=40), nullable=True),
        sa.Column("is_quiz", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "from_canvas", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column(
            "state", sa.String(length=20), server_default="active", nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_period_id"],
            ["marking_periods.id"],
            name=op.f("fk_assignments_marking_period_id_marking_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_assignments_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["assignment_types.id"],
            name=op.f("fk_assignments_type_id_assignment_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "section_id",
            "canvas_assignment_id",
            name=op.f("uq_assignments_section_id_canvas_assignment_id"),
        ),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignments_marking_period_id"),
            ["marking_period_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assignments_section_id"), ["section_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignments_type_id"), ["type_id"], unique=False
        )

    op.create_table(
        "scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("excused", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("missing", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("late", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "source", sa.String(length=10), server_default="homeroom", nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_scores_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name=op.f("fk_scores_student_id_students")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scores")),
        sa.UniqueConstraint(
            "assignment_id",
            "student_id",
            name=op.f("uq_scores_assignment_id_student_id"),
        ),
    )
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scores_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scores_student_id"), ["student_id"], unique=False
        )

    _seed_a_to_f()


def _seed_a_to_f():
    """Seed the shared A-F scale as data, so a gradebook has letters from the start."""
    now = datetime.now(UTC)
    scales = sa.table(
        "grading_scales",
        sa.column("id", sa.Integer),
        sa.column("school_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("is_default", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    levels = sa.table(
        "grading_scale_levels",
        sa.column("scale_id", sa.Integer),
        sa.column("letter", sa.String),
        sa.column("min_percentage", sa.Numeric),
        sa.column("gpa_points", sa.Numeric),
        sa.column("passing", sa.Boolean),
    )
    bind = op.get_bind()
    bind.execute(
        scales.insert().values(
            school_id=None, name="A-F", is_default=True, created_at=now, updated_at=now
        )
    )
    scale_id = bind.execute(
        sa.select(scales.c.id).where(scales.c.name == "A-F")
    ).scalar_one()
    op.bulk_insert(
        levels,
        [
            {
                "scale_id": scale_id,
                "letter": letter,
                "min_percentage": low,
                "gpa_points": points,
                "passing": passing,
            }
            for letter, low, points, passing in A_TO_F
        ],
    )


def downgrade():
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scores_student_id"))
        batch_op.drop_index(batch_op.f("ix_scores_assignment_id"))

    op.drop_table("scores")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_type_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_section_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_marking_period_id"))

    op.drop_table("assignments")
    op.drop_table("gradebook_configs")
    with op.batch_alter_table("canvas_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canvas_groups_section_id"))

    op.drop_table("canvas_groups")
    with op.batch_alter_table("canvas_course_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canvas_course_scores_student_id"))
        batch_op.drop_index(batch_op.f("ix_canvas_course_scores_section_id"))

    op.drop_table("canvas_course_scores")
    with op.batch_alter_table("assignment_types", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_types_section_id"))

    op.drop_table("assignment_types")
    with op.batch_alter_table("grading_scale_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grading_scale_levels_scale_id"))

    op.drop_table("grading_scale_levels")
    with op.batch_alter_table("grading_scales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grading_scales_school_id"))

    op.drop_table("grading_scales")
