"""Helpers the revisions import (release 1.0 and 1.1)."""
import sqlalchemy as sa
from alembic import op

ARCHIVED_COLUMNS = ["legacy"]


def is_sqlite():
    return op.get_bind().dialect.name == "sqlite"


def drop_archived(table):
    for column in ARCHIVED_COLUMNS:
        op.drop_column(table, column)
