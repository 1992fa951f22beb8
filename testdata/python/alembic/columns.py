import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "b2"
down_revision: str = "a1"


def upgrade():
    op.add_column("gadgets", sa.Column("colour", sa.String(length=20), nullable=True))
    op.add_column("gadgets", sa.Column("rank", sa.Integer(), nullable=False, server_default="1"))
    op.drop_column("gadgets", "legacy")
    op.alter_column("gadgets", "label", existing_type=sa.String(50), nullable=True)
    op.alter_column("gadgets", "notes", type_=mysql.LONGTEXT(), existing_nullable=True)
    op.alter_column("gadgets", "colour", new_column_name="color")
    op.alter_column("gadgets", "rank", server_default=None)
    op.alter_column("gadgets", "weight", server_default=sa.text("10"), nullable=False)
