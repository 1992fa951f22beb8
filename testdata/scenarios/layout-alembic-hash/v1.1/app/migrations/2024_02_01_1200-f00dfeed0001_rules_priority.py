"""rules priority

Revision ID: f00dfeed0001
Revises: c0ffee000002
"""
from alembic import op
import sqlalchemy as sa

revision = "f00dfeed0001"
down_revision = "c0ffee000002"


def upgrade():
    op.add_column("rules", sa.Column("priority", sa.Integer(), nullable=False))
