from alembic import context

from auslib.db import metadata

target_metadata = metadata
