from sqlalchemy import MetaData, Table


def upgrade(migrate_engine):
    metadata = MetaData(bind=migrate_engine)
    Table("gizmos", metadata, autoload=True).c.first.drop()
    width = = 1
    Table("gizmos", metadata, autoload=True).c.second.drop()
