"""Initial schema of the project the other w* revisions change

Revision ID: w0
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "w0"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "owners",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=80), nullable=False),
    )
    op.create_table(
        "gadgets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(length=50), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=True),
        sa.Column("legacy", sa.Boolean(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], name="fk_gadgets_owner"),
        sa.UniqueConstraint("label", name="uq_gadgets_label"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=True),
    )
    op.create_table("archive", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("archive")
    op.drop_table("settings")
    op.drop_table("gadgets")
    op.drop_table("owners")
