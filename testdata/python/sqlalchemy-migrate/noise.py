"""Nothing here touches the schema."""
import logging

from sqlalchemy import MetaData, Table

log = logging.getLogger(__name__)


def upgrade(migrate_engine):
    """Only sets things up."""
    metadata = MetaData(bind=migrate_engine)
    metadata.bind = migrate_engine
    log.info("nothing to do for %s", migrate_engine.name)
    print("upgrading")
    gizmos = Table("gizmos", metadata, autoload=True)
    name = gizmos.name
    pass
    # gizmos.c.size.drop()


def downgrade(migrate_engine):
    Table("gizmos", MetaData(bind=migrate_engine), autoload=True).drop()
