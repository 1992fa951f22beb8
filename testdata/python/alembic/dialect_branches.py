"""Per-database branches, written the ways projects write them.

Revision ID: w1
Revises: w0
"""
import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import mysql

revision = "w1"
down_revision = "w0"


def is_sqlite():
    return op.get_context().dialect.name == "sqlite"


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "mysql":
        op.alter_column("gadgets", "notes", type_=mysql.MEDIUMTEXT(), existing_nullable=True)
    elif bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE gadgets ALTER COLUMN notes TYPE TEXT")

    url = str(bind.engine.url)
    if url.startswith("mysql"):
        op.create_index("ix_gadgets_label", "gadgets", ["label"], mysql_length={"label": 20})
    else:
        op.create_index("ix_gadgets_label", "gadgets", ["label"])

    if not is_sqlite():
        op.drop_constraint("fk_gadgets_owner", "gadgets", type_="foreignkey")

    if context.get_context().dialect.name in ("mysql", "postgresql"):
        op.alter_column("gadgets", "weight", existing_type=sa.Integer(), nullable=False)

    if bind.engine.name == "sqlite":
        return
    op.drop_column("gadgets", "legacy")
