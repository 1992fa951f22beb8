"""Keys named by the metadata's naming convention

Revision ID: n1
Revises: w0
"""
import sqlalchemy as sa
from alembic import op

revision = "n1"
down_revision = "w0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_unique_constraint(None, "gadgets", ["weight"])
    op.create_check_constraint("positive", "gadgets", "weight >= 0")
    op.create_foreign_key(None, "settings", "owners", ["value"], ["id"])
    op.create_index(op.f("ix_gadgets_notes"), "gadgets", ["notes"])


def downgrade():
    pass
