"""create rules

Revision ID: 080d29b15cd3
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "080d29b15cd3"
down_revision = None


def upgrade():
    op.create_table(
        "rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=True),
    )


def downgrade():
    op.drop_table("rules")
