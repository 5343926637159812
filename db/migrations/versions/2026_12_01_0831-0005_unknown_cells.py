"""unknown cells: engagement counts/flags and fee payments may be NULL (unreadable in the report, not zero)

Revision ID: 0005_unknown_cells
Revises: 0004_auth
Create Date: 2026-12-01 08:30:00

The garbled row of AR2020 section 4.1 (Tehran, line 460) has six cells nobody can read; they are stored as NULL
instead of 0/false. Downgrading turns such NULLs back into 0/false (the columns become NOT NULL again).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005_unknown_cells'
down_revision: Union[str, Sequence[str], None] = '0004_auth'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ENGAGEMENT_COUNTS = ('board_meetings', 'bilateral_meetings', 'learning_activities', 'wmd_participation')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        for column in ENGAGEMENT_COUNTS:
            batch_op.alter_column(column, existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('call_endorsement', existing_type=sa.Boolean(), nullable=True)
    with op.batch_alter_table('fee_payment', schema=None) as batch_op:
        batch_op.alter_column('paid', existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    """Downgrade schema: unknown cells become 0 / false again (the old schema cannot hold an unknown)."""
    for column in ENGAGEMENT_COUNTS:
        op.execute(sa.text(f"UPDATE engagement SET {column} = 0 WHERE {column} IS NULL"))
    op.execute(sa.text("UPDATE engagement SET call_endorsement = false WHERE call_endorsement IS NULL"))
    op.execute(sa.text("UPDATE fee_payment SET paid = false WHERE paid IS NULL"))
    with op.batch_alter_table('fee_payment', schema=None) as batch_op:
        batch_op.alter_column('paid', existing_type=sa.Boolean(), nullable=False)
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.alter_column('call_endorsement', existing_type=sa.Boolean(), nullable=False)
        for column in reversed(ENGAGEMENT_COUNTS):
            batch_op.alter_column(column, existing_type=sa.Integer(), nullable=False)
