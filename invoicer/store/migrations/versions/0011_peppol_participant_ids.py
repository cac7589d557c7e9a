"""Peppol participant ids (`SCHEME:VALUE`, the electronic address an access point delivers to)
for customers and for the shop (issue 17). Empty for existing rows: exports derive one from
the VAT number where the country's Peppol scheme is the VAT number.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("peppol_id", sa.Text(), nullable=True))
    op.add_column("shop", sa.Column("peppol_id", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("shop", "peppol_id")
    op.drop_column("customers", "peppol_id")
