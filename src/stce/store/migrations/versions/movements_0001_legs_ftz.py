"""Movement legs (transshipment chains) and free-zone operator records.

Revision ID: movements_0001
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "movements_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "movement_legs",
        sa.Column("declaration_id", sa.String(128), nullable=False),
        sa.Column("chain_id", sa.String(128), nullable=False),
        sa.Column("procedure", sa.String(16), nullable=False),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("zone_id", sa.String(128), nullable=True),
        sa.Column("operator_id", sa.String(512), nullable=True),
        sa.Column("link_to", sa.String(128), nullable=True),
        sa.Column("link_via", sa.String(32), nullable=True),
        sa.Column("link_key", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name="pk_movement_legs"),
    )
    op.create_index("ix_movement_legs_chain_id", "movement_legs", ["chain_id"])
    op.create_index("ix_movement_legs_lodged_at", "movement_legs", ["lodged_at"])
    op.create_index("ix_movement_legs_zone_id", "movement_legs", ["zone_id"])
    op.create_table(
        "ftz_operator_records",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("natural_key", sa.String(1024), nullable=False),
        sa.Column("zone_id", sa.String(128), nullable=False),
        sa.Column("operator_id", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("period", sa.String(16), nullable=True),
        sa.Column("record_date", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(256), nullable=True),
        sa.Column("to_operator_id", sa.String(512), nullable=True),
        sa.Column("hs_code", sa.String(10), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ftz_operator_records"),
        sa.UniqueConstraint("natural_key", name="uq_ftz_operator_records_natural_key"),
    )
    op.create_index("ix_ftz_operator_records_zone_id", "ftz_operator_records", ["zone_id"])


def downgrade() -> None:
    op.drop_table("ftz_operator_records")
    op.drop_table("movement_legs")
