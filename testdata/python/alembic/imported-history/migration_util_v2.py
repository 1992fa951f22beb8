"""Helpers the revisions import (release 1.2: audit columns, and one more archived column)."""
import sqlalchemy as sa
from alembic import op

from auslib.column_names import AUDIT_COLUMN

ARCHIVED_COLUMNS = ["legacy", "weight"]


def is_sqlite():
    return op.get_bind().dialect.name == "sqlite"


def drop_archived(table):
    for column in ARCHIVED_COLUMNS:
        op.drop_column(table, column)


def add_audit_column(table):
    op.add_column(table, sa.Column(AUDIT_COLUMN, sa.DateTime(), nullable=True))
