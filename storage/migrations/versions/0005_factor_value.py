"""factor events: a numeric value and a detail on events

Revision ID: 0005
Revises: 0004

Lifestyle factors (sleep hours, stress 1–5, exercise minutes...) are events of kind `factor`;
their number goes in `value` and their words (activity, strain, antibiotic) in `detail`. Both
nullable, so existing rows need nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("value", sa.Float(), nullable=True))
        batch.add_column(sa.Column("detail", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("detail")
        batch.drop_column("value")
