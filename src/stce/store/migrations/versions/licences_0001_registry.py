"""Licence registry: licences, items with balances, write-offs and events.

Revision ID: licences_0001
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "licences_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey("licences.id", ondelete="CASCADE", name=f"fk_{table}_licence_id_licences")


def upgrade() -> None:
    op.create_table(
        "licences",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("number_key", sa.String(128), nullable=False),
        sa.Column("number", sa.String(128), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_licences"),
        sa.UniqueConstraint("number_key", name="uq_licences_number_key"),
    )
    op.create_index("ix_licences_valid_to", "licences", ["valid_to"])
    op.create_table(
        "licence_items",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("licence_id", sa.Integer(), _fk("licence_items"), nullable=False),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(8), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("quantity_licensed", sa.Float(), nullable=True),
        sa.Column("value_licensed", sa.Float(), nullable=True),
        sa.Column("quantity_left", sa.Float(), nullable=True),
        sa.Column("value_left", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_licence_items"),
        sa.UniqueConstraint("licence_id", "item_no", name="uq_licence_items_item"),
    )
    op.create_table(
        "licence_writeoffs",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("licence_id", sa.Integer(), _fk("licence_writeoffs"), nullable=False),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.String(128), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_licence_writeoffs"),
        sa.UniqueConstraint(
            "declaration_id", "line", "licence_id", name="uq_licence_writeoffs_decl_line"
        ),
    )
    op.create_index("ix_licence_writeoffs_licence_id", "licence_writeoffs", ["licence_id"])
    op.create_index("ix_licence_writeoffs_declaration_id", "licence_writeoffs", ["declaration_id"])
    op.create_table(
        "licence_events",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("licence_id", sa.Integer(), _fk("licence_events"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("declaration_id", sa.String(128), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("item_no", sa.Integer(), nullable=True),
        sa.Column("quantity_delta", sa.Float(), nullable=True),
        sa.Column("value_delta", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_licence_events"),
    )
    op.create_index("ix_licence_events_licence_id", "licence_events", ["licence_id"])


def downgrade() -> None:
    op.drop_table("licence_events")
    op.drop_table("licence_writeoffs")
    op.drop_table("licence_items")
    op.drop_table("licences")
