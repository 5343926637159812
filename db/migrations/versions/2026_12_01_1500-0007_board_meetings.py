"""Board meetings: earlier states of the versioned tables (row_version + <table>_history), the meetings and packs

Revision ID: 0007_board_meetings
Revises: 0006_indexes
Create Date: 2026-12-01 15:00:00

Every table the pages read gets `row_version` (the data version that wrote the row; 0 for what was there before)
and a `<table>_history` twin that receives each state a write replaces (db/history.py); db/asof.py reads the
store as of a meeting through views it makes per connection.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0007_board_meetings'
down_revision: Union[str, Sequence[str], None] = '0006_indexes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

VERSIONED = ('action_plan', 'bilateral_meeting', 'board_seat', 'discrepancy', 'engagement', 'event',
             'event_deliverable', 'event_member', 'fee_payment', 'indicator', 'indicator_value', 'member',
             'member_activation', 'member_alias', 'member_leadership', 'pilot_project', 'pilot_project_member',
             'plan_item', 'plan_item_status', 'region', 'source', 'status_mark', 'website_presence')


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    for name in VERSIONED:
        op.add_column(name, sa.Column('row_version', sa.Integer(), server_default='0', nullable=False))
    found = sa.inspect(bind)
    for name in VERSIONED:
        columns = [sa.Column(c['name'], c['type'], nullable=True) for c in found.get_columns(name)]
        op.create_table(
            f'{name}_history',
            sa.Column('history_id', sa.Integer(), nullable=False),
            *columns,
            sa.Column('valid_to', sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint('history_id', name=op.f(f'pk_{name}_history')),
        )
        op.create_index(f'ix_{name}_history_id_valid_to', f'{name}_history', ['id', 'valid_to'], unique=False)
    op.create_table(
        'board_meeting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.Column('data_version', sa.Integer(), nullable=False),
        sa.Column('data_changed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('audit_position', sa.Integer(), nullable=False),
        sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                                name=op.f('fk_board_meeting_recorded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_board_meeting')),
        sa.UniqueConstraint('slug', name=op.f('uq_board_meeting_slug')),
    )
    op.create_table(
        'board_pack_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('progress', sa.Integer(), server_default='0', nullable=False),
        sa.Column('total', sa.Integer(), server_default='0', nullable=False),
        sa.Column('filename', sa.String(length=200), server_default='', nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('error', sa.Text(), server_default='', nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_board_pack_file_status')),
        sa.ForeignKeyConstraint(['meeting_id'], ['board_meeting.id'],
                                name=op.f('fk_board_pack_file_meeting_id_board_meeting')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_board_pack_file')),
        sa.UniqueConstraint('meeting_id', 'kind', name=op.f('uq_board_pack_file_meeting_id_kind')),
    )
    op.create_index(op.f('ix_board_pack_file_meeting_id'), 'board_pack_file', ['meeting_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_board_pack_file_meeting_id'), table_name='board_pack_file')
    op.drop_table('board_pack_file')
    op.drop_table('board_meeting')
    for name in VERSIONED:
        op.drop_index(f'ix_{name}_history_id_valid_to', table_name=f'{name}_history')
        op.drop_table(f'{name}_history')
        op.drop_column(name, 'row_version')  # SQLite >= 3.35 drops a column in place (a batch copy would
        # break the foreign keys of the rows that point to it)
