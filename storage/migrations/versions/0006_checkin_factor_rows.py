"""check-in factor rows: per-person /settings switches and the answers to them

Revision ID: 0006
Revises: 0005

Four switches on `users` (sleep quality, stress, exercise, period tracking), all off by default
(server default false, so existing people keep the one-tap check-in), and `checkin_factors`: one
answer per check-in and factor, with the event it logged (NULL for an answer that logs nothing).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWITCHES = ("ask_sleep_quality", "ask_stress", "ask_exercise", "track_period")


def upgrade() -> None:
    # Plain ALTER TABLE on both backends: a batch "move and copy" of `users` on SQLite would
    # drop the old table, and with foreign keys on that cascades to every diary row.
    for name in SWITCHES:
        op.add_column(
            "users", sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "checkin_factors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("nudge_id", sa.Integer(), nullable=False),
        sa.Column("factor", sa.String(length=12), nullable=False),
        sa.Column("choice", sa.String(length=12), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["nudge_id"], ["nudges.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nudge_id", "factor", name="uq_checkin_factors_nudge_factor"),
    )
    op.create_index("ix_checkin_factors_event_id", "checkin_factors", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_checkin_factors_event_id", table_name="checkin_factors")
    op.drop_table("checkin_factors")
    for name in reversed(SWITCHES):  # ALTER TABLE ... DROP COLUMN: SQLite 3.35+, PostgreSQL
        op.drop_column("users", name)
