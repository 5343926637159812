"""indexes the synthetic store's plans ask for: event_member by member then event, both columns in each index

Revision ID: 0006_indexes
Revises: 0005_unknown_cells
Create Date: 2026-12-01 11:50:00

EXPLAIN ANALYZE on the synthetic store (10,000 members, 2 million participation rows; bench/serve_bench.py
--explain) shows the pages' heaviest statements going from a region's members to their events
(`event.id IN (SELECT event_id FROM event_member WHERE member_id IN (...))`) through ix_event_member_member_id and
a heap fetch per row (350,000 for one region), and from a year's events to their members through
ix_event_member_event_id and a heap fetch per row. (member_id, event_id) answers the first from the index alone;
the unique constraint uq_event_member_event_id_member_id already holds (event_id, member_id) for the second. The two
single-column indexes are prefixes of those and only cost writes, so they go.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0006_indexes'
down_revision: Union[str, Sequence[str], None] = '0005_unknown_cells'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('event_member', schema=None) as batch_op:
        batch_op.create_index('ix_event_member_member_id_event_id', ['member_id', 'event_id'], unique=False)
        batch_op.drop_index('ix_event_member_member_id')
        batch_op.drop_index('ix_event_member_event_id')


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('event_member', schema=None) as batch_op:
        batch_op.create_index('ix_event_member_event_id', ['event_id'], unique=False)
        batch_op.create_index('ix_event_member_member_id', ['member_id'], unique=False)
        batch_op.drop_index('ix_event_member_member_id_event_id')
