"""Drop the keys by the names the convention gave them

Revision ID: n2
Revises: n1
"""
from alembic import op

revision = "n2"
down_revision = "n1"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_constraint("uq_gadgets_weight", "gadgets", type_="unique")
    op.drop_constraint("ck_gadgets_positive", "gadgets", type_="check")
    op.drop_constraint("fk_settings_value_owners", "settings", type_="foreignkey")
    op.drop_index("ix_gadgets_notes", table_name="gadgets")


def downgrade():
    pass
