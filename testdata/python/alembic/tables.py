"""add gadget tables

Revision ID: a1
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None
branch_labels = None


def upgrade() -> None:
    op.create_table(
        "gadgets",
        sa.Column("gadget_id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(50), nullable=False),
        sa.Column("weight", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("owners.owner_id")),
        sa.Column("legacy", sa.Integer()),
        sa.Column("notes", sa.Text()),
        sa.UniqueConstraint("label", name="uq_gadgets_label"),
    )
    op.create_index("ix_gadgets_weight", "gadgets", ["weight"])
    op.create_index(op.f("ix_gadgets_label"), "gadgets", ["label"], unique=True)
    op.drop_index("ix_old", table_name="gizmos")
    op.rename_table("gizmo_log", "gizmo_events")
    op.drop_table("obsolete")


def downgrade() -> None:
    op.drop_table("gadgets")
