"""Drop the archived columns (SQLite keeps them: it cannot drop a column in place)

Revision ID: h1
Revises: w0
"""
from alembic import op

from auslib.migration_util import drop_archived, is_sqlite

revision = "h1"
down_revision = "w0"
branch_labels = None
depends_on = None


def upgrade():
    if is_sqlite():
        return
    drop_archived("gadgets")


def downgrade():
    pass
