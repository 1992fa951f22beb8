from sqlalchemy import Column, Integer, MetaData, Table

from someapp.db import rebuild_everything


def upgrade(migrate_engine):
    metadata = MetaData(bind=migrate_engine)
    Column("width", widthType).create(Table("gizmos", metadata, autoload=True))
    rebuild_everything(metadata)
    migrate_engine.execute(load_query())
    while True:
        break
    if migrate_engine.name == "mysql":
        pass
    else:
        raise Exception("only MySQL is supported")
    Table("gizmos", metadata, autoload=True).c.width.drop()
