"""Add Canvas settings, per-record sync states and the sync activity log

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 19:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "canvas_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("token_encrypted", sa.Text(), nullable=False, server_default=""),
        sa.Column("token_hint", sa.String(length=8), nullable=False, server_default=""),
        sa.Column("account_id", sa.Integer(), nullable=False, server_default="1"),
        sa.Column(
            "drop_action",
            sa.String(length=20),
            nullable=False,
            server_default="conclude",
        ),
        sa.Column(
            "send_invitations", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
        sa.Column(
            "new_sections_virtual",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
        sa.Column(
            "new_sections_sync", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canvas_settings")),
    )
    op.create_table(
        "canvas_sync_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("canvas_id", sa.BigInteger(), nullable=True),
        sa.Column("canvas_section_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False, server_default=""),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "payload_hash", sa.String(length=64), nullable=False, server_default=""
        ),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canvas_sync_states")),
        sa.UniqueConstraint(
            "kind", "record_id", name=op.f("uq_canvas_sync_states_kind_record_id")
        ),
    )
    with op.batch_alter_table("canvas_sync_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canvas_sync_states_state"), ["state"], unique=False
        )

    op.create_table(
        "canvas_sync_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=200), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("request_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canvas_sync_activity")),
    )
    with op.batch_alter_table("canvas_sync_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canvas_sync_activity_job_id"), ["job_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_canvas_sync_activity_result"), ["result"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_canvas_sync_activity_started_at"),
            ["started_at"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("canvas_sync_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canvas_sync_activity_started_at"))
        batch_op.drop_index(batch_op.f("ix_canvas_sync_activity_result"))
        batch_op.drop_index(batch_op.f("ix_canvas_sync_activity_job_id"))
    op.drop_table("canvas_sync_activity")
    with op.batch_alter_table("canvas_sync_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canvas_sync_states_state"))
    op.drop_table("canvas_sync_states")
    op.drop_table("canvas_settings")
