"""Audit column on owners

Revision ID: h2
Revises: h1
"""
from alembic import op

from auslib.migration_util import add_audit_column

revision = "h2"
down_revision = "h1"
branch_labels = None
depends_on = None


def upgrade():
    add_audit_column("owners")


def downgrade():
    pass
