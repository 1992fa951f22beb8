"""rules alias

Revision ID: c0ffee000002
Revises: 080d29b15cd3
"""
from alembic import op
import sqlalchemy as sa

revision = "c0ffee000002"
down_revision = "080d29b15cd3"


def upgrade():
    op.add_column("rules", sa.Column("alias", sa.String(50), nullable=True))
