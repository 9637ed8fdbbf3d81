"""Add final grades, section completion, period weights and comment codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 18:55:40.332784

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Built-in comment codes (no school): every school sees them and may add more.
COMMENT_CODES = [
    ("E1", "Excellent effort and participation"),
    ("E2", "A pleasure to have in class"),
    ("I1", "Shows steady improvement"),
    ("C1", "Needs to complete and hand in missing work"),
    ("C2", "Work is often handed in late"),
    ("C3", "Needs to study more for tests"),
    ("A1", "Absences are affecting progress"),
    ("P1", "Please contact the teacher for a conference"),
]


def upgrade():
    op.create_table(
        "comment_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_comment_codes_school_id_schools"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_codes")),
        sa.UniqueConstraint(
            "school_id", "code", name=op.f("uq_comment_codes_school_id_code")
        ),
    )

    op.create_table(
        "period_weights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["marking_periods.id"],
            name=op.f("fk_period_weights_child_id_marking_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["marking_periods.id"],
            name=op.f("fk_period_weights_parent_id_marking_periods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_weights")),
        sa.UniqueConstraint(
            "parent_id", "child_id", name=op.f("uq_period_weights_parent_id_child_id")
        ),
    )
    with op.batch_alter_table("period_weights", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_period_weights_parent_id"), ["parent_id"], unique=False
        )

    op.create_table(
        "final_grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("marking_period_id", sa.Integer(), nullable=False),
        sa.Column(
            "computed_percentage", sa.Numeric(precision=6, scale=2), nullable=True
        ),
        sa.Column("computed_letter", sa.String(length=5), nullable=True),
        sa.Column("exam_percentage", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("override_letter", sa.String(length=5), nullable=True),
        sa.Column(
            "override_percentage", sa.Numeric(precision=6, scale=2), nullable=True
        ),
        sa.Column("percentage", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("letter", sa.String(length=5), nullable=True),
        sa.Column("gpa_points", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("gpa_bonus", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("passing", sa.Boolean(), nullable=False),
        sa.Column(
            "credits_attempted", sa.Numeric(precision=5, scale=2), nullable=False
        ),
        sa.Column("credits_earned", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("comment_codes", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_period_id"],
            ["marking_periods.id"],
            name=op.f("fk_final_grades_marking_period_id_marking_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_final_grades_school_id_schools"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_final_grades_section_id_sections"),
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.id"],
            name=op.f("fk_final_grades_student_id_students"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_final_grades_submitted_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_final_grades")),
        sa.UniqueConstraint(
            "student_id",
            "section_id",
            "marking_period_id",
            name=op.f("uq_final_grades_student_id_section_id_marking_period_id"),
        ),
    )
    with op.batch_alter_table("final_grades", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_final_grades_marking_period_id"),
            ["marking_period_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_final_grades_school_id"), ["school_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_final_grades_section_id"), ["section_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_final_grades_student_id"), ["student_id"], unique=False
        )

    op.create_table(
        "section_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("marking_period_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["users.id"],
            name=op.f("fk_section_completions_completed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["marking_period_id"],
            ["marking_periods.id"],
            name=op.f("fk_section_completions_marking_period_id_marking_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_section_completions_section_id_sections"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_section_completions_staff_id_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section_completions")),
        sa.UniqueConstraint(
            "section_id",
            "marking_period_id",
            name=op.f("uq_section_completions_section_id_marking_period_id"),
        ),
    )
    with op.batch_alter_table("section_completions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_section_completions_marking_period_id"),
            ["marking_period_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_section_completions_section_id"),
            ["section_id"],
            unique=False,
        )

    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "gpa_bonus",
                sa.Numeric(precision=4, scale=2),
                server_default="0",
                nullable=False,
            )
        )

    codes = sa.table(
        "comment_codes",
        sa.column("school_id", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("text", sa.String()),
        sa.column("active", sa.Boolean()),
    )
    op.bulk_insert(
        codes,
        [
            {"school_id": None, "code": code, "text": text, "active": True}
            for code, text in COMMENT_CODES
        ],
    )


def downgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("gpa_bonus")

    with op.batch_alter_table("section_completions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_completions_section_id"))
        batch_op.drop_index(batch_op.f("ix_section_completions_marking_period_id"))

    op.drop_table("section_completions")
    with op.batch_alter_table("final_grades", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_final_grades_student_id"))
        batch_op.drop_index(batch_op.f("ix_final_grades_section_id"))
        batch_op.drop_index(batch_op.f("ix_final_grades_school_id"))
        batch_op.drop_index(batch_op.f("ix_final_grades_marking_period_id"))

    op.drop_table("final_grades")
    with op.batch_alter_table("period_weights", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_weights_parent_id"))

    op.drop_table("period_weights")
    op.drop_table("comment_codes")
