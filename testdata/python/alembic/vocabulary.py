"""The op and sa vocabulary of real projects.

Revision ID: w3
Revises: w2
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.types import TypeDecorator

from app.models import db
from app.types import JSONDict

revision = "w3"
down_revision = "w2"


class Tags(TypeDecorator):
    impl = sa.Text
    cache_ok = True


def upgrade():
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Enum("new", "paid", "sent", name="order_state"), nullable=False),
        sa.Column("created", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False),
        sa.Column("placed", sa.DateTime(), server_default=sa.func.now()),
        sa.Column("gift", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("note", db.String(length=200)),
        sa.Column("tags", Tags()),
        sa.Column("extra", JSONDict()),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    op.create_foreign_key(
        op.f("fk_orders_owner_id_owners"), "orders", "owners", ["owner_id"], ["id"], ondelete="CASCADE"
    )
    op.create_index(op.f("ix_orders_state"), "orders", ["state"], unique=False)
    op.create_index(
        "uq_orders_open", "orders", ["owner_id"], unique=True, postgresql_where=sa.text("state = 'new'")
    )
    with op.batch_alter_table("gadgets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch_op.alter_column(
            "label", existing_type=sa.String(length=50), type_=sa.String(length=100), existing_nullable=False
        )
        batch_op.drop_constraint("uq_gadgets_label", type_="unique")
    if "archive" in sa.inspect(op.get_bind()).get_table_names():
        op.drop_table("archive")
    op.alter_column("gadgets", column_name="label", new_column_name="title")
