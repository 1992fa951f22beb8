from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text


def upgrade(migrate_engine):
    metadata = MetaData(bind=migrate_engine)
    gizmos = Table("gizmos", metadata, autoload=True)

    Column("size", Integer, nullable=True).create(gizmos)
    shade = Column("shade", String(20), default="grey")
    shade.create(gizmos)
    shade.alter(nullable=False)

    gizmos.c.obsolete.drop()
    gizmos.c["retired"].drop()
    Table("sprockets", metadata, autoload=True).c.name.alter(name="title")
    gizmos.c.summary.alter(type=Text)
    gizmos.c.code.alter(type=String(64), nullable=False, name="gizmo_code")
    gizmos.c.maybe.alter(nullable=True)
    gizmos.c.status.alter(server_default="new")

    Index("gizmo_code_idx", gizmos.c.gizmo_code, unique=True).create()
    Index("old_idx", gizmos.c.size).drop()
    Table("sprocket_history", metadata, autoload=True).drop()


def downgrade(migrate_engine):
    metadata = MetaData(bind=migrate_engine)
    Table("gizmos", metadata, autoload=True).c.size.drop()
