"""Party-screening clearances.

Revision ID: parties_0001
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "parties_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party_clearances",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("party_key", sa.String(1024), nullable=False),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("entry_id", sa.String(128), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cleared_by", sa.String(128), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_party_clearances"),
    )
    op.create_index("ix_party_clearances_key_entry", "party_clearances", ["party_key", "entry_id"])


def downgrade() -> None:
    op.drop_index("ix_party_clearances_key_entry", table_name="party_clearances")
    op.drop_table("party_clearances")
