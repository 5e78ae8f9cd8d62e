"""List snapshots (audit copy) and retro-screening hits.

Revision ID: refdata_0001
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "refdata_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refdata_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("snapshot_id", sa.String(200), nullable=False),
        sa.Column("slot", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("content_checksum", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("names", sa.Integer(), nullable=False),
        sa.Column("wallets", sa.Integer(), nullable=False),
        sa.Column("by_kind", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_refdata_snapshots"),
        sa.UniqueConstraint("snapshot_id", name="uq_refdata_snapshots_snapshot_id"),
    )
    op.create_index("ix_refdata_snapshots_slot", "refdata_snapshots", ["slot"])
    op.create_table(
        "refdata_retro_hits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot_id", sa.String(200), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("screened_party_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.String(128), nullable=False),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("matched_name", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_refdata_retro_hits"),
    )
    op.create_index(
        "ix_refdata_retro_hits_party_entry",
        "refdata_retro_hits",
        ["screened_party_id", "entry_id"],
        unique=True,
    )
    op.create_index("ix_refdata_retro_hits_snapshot_id", "refdata_retro_hits", ["snapshot_id"])
    op.create_index(
        "ix_refdata_retro_hits_declaration_id", "refdata_retro_hits", ["declaration_id"]
    )


def downgrade() -> None:
    op.drop_table("refdata_retro_hits")
    op.drop_table("refdata_snapshots")
