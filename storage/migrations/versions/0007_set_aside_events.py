"""set-aside entries: a "no migraine" a later migraine ruled out, kept to be put back

Revision ID: 0007
Revises: 0006

`set_aside_events` holds a copy of each entry removed because a later message contradicted it
(a migraine logged for a day marked "no migraine"), with the message that removed it, so undoing
or editing that message restores the entry. A new table only: no existing row is touched.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    utc = storage.types.UTCDateTime(timezone=True)
    op.create_table(
        "set_aside_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("removed_by", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("day_start", utc, nullable=False),
        sa.Column("day_end", utc, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", utc, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("dose", sa.String(length=50), nullable=True),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("detail", sa.String(length=100), nullable=True),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("removed_at", utc, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["removed_by"], ["messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["messages.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("user_id", "removed_by", "source_id"):
        op.create_index(f"ix_set_aside_events_{column}", "set_aside_events", [column])


def downgrade() -> None:
    for column in ("source_id", "removed_by", "user_id"):
        op.drop_index(f"ix_set_aside_events_{column}", table_name="set_aside_events")
    op.drop_table("set_aside_events")
