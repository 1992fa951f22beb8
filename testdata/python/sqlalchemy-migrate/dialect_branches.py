from sqlalchemy import BigInteger, Column, Integer, MetaData, Table


def upgrade(migrate_engine):
    metadata = MetaData(bind=migrate_engine)
    if migrate_engine.name == "mysql":
        counterType = BigInteger
        migrate_engine.execute("ALTER TABLE gizmos ROW_FORMAT=COMPRESSED")
    elif migrate_engine.name == "sqlite":
        counterType = Integer
    else:
        counterType = BigInteger

    Column("hits", counterType).create(Table("gizmos", metadata, autoload=True))

    if migrate_engine.name != "sqlite":
        Table("gizmos", metadata, autoload=True).c.legacy.drop()

    if migrate_engine.name in ("mysql", "postgresql"):
        Table("gizmos", metadata, autoload=True).c.hits.alter(nullable=False)
