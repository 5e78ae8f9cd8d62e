"""Inspection outcomes for the risk engine's feedback loop.

Revision ID: risk_0001
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "risk_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_outcomes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("declaration_id", sa.String(128), nullable=False),
        sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_risk_outcomes"),
    )
    op.create_index(
        "ix_risk_outcomes_decl_when",
        "risk_outcomes",
        ["declaration_id", "inspected_at"],
        unique=True,
    )
    op.create_index("ix_risk_outcomes_declaration_id", "risk_outcomes", ["declaration_id"])


def downgrade() -> None:
    op.drop_table("risk_outcomes")
