"""Uses helpers imported from the repository.

Revision ID: m2
Revises: m1
"""
from alembic import op

from myapp.migration_helpers import add_notes, drop_legacy, is_sqlite as on_sqlite
from myapp.missing_module import rebuild

revision = "m2"
down_revision = "m1"


def upgrade():
    add_notes()
    if not on_sqlite():
        drop_legacy("gadgets")
    rebuild("gadgets")
