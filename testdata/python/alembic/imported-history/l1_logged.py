"""Add gadgets.note; the module logs through the project's logger

Revision ID: l1
Revises: w0
"""
import sqlalchemy as sa
from alembic import op

from auslib.log_util import get_logger

revision = "l1"
down_revision = "w0"

logger = get_logger()


def upgrade():
    op.add_column("gadgets", sa.Column("note", sa.Text(), nullable=True))
