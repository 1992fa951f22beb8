"""Helpers a project keeps next to its migrations and imports from each revision."""
import sqlalchemy as sa
from alembic import op

LEGACY_COLUMNS = ["fax", "pager"]
NOTES_TABLE = "gadgets"


def is_sqlite():
    return op.get_context().dialect.name == "sqlite"


def drop_legacy(table):
    for column in LEGACY_COLUMNS:
        op.drop_column(table, column)


def add_notes():
    op.add_column(NOTES_TABLE, sa.Column("notes", sa.Text(), nullable=True))
