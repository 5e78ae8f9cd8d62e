"""Screening runs, results and screened parties.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.String(64), nullable=False),
        sa.Column("input_name", sa.String(1024), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_runs"),
        sa.UniqueConstraint("batch_id", name="uq_screening_runs_batch_id"),
    )
    op.create_index("ix_screening_runs_input_sha256", "screening_runs", ["input_sha256"])
    op.create_table(
        "screening_results",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey(
                "screening_runs.id",
                ondelete="CASCADE",
                name="fk_screening_results_run_id_screening_runs",
            ),
            nullable=False,
        ),
        sa.Column("declaration_id", sa.String(128), nullable=False),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lane", sa.String(8), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("hits", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_results"),
    )
    op.create_index(
        "ix_screening_results_run_decl",
        "screening_results",
        ["run_id", "declaration_id"],
        unique=True,
    )
    op.create_index("ix_screening_results_declaration_id", "screening_results", ["declaration_id"])
    op.create_table(
        "screened_parties",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey(
                "screening_runs.id",
                ondelete="CASCADE",
                name="fk_screened_parties_run_id_screening_runs",
            ),
            nullable=False,
        ),
        sa.Column("declaration_id", sa.String(128), nullable=False),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("wallet_chain", sa.String(16), nullable=True),
        sa.Column("wallet_address", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_screened_parties"),
    )
    op.create_index("ix_screened_parties_lodged", "screened_parties", ["lodged_at"])
    op.create_index("ix_screened_parties_declaration_id", "screened_parties", ["declaration_id"])


def downgrade() -> None:
    op.drop_table("screened_parties")
    op.drop_table("screening_results")
    op.drop_table("screening_runs")
