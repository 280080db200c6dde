"""Alembic environment: runs on the connection the Store hands over (see Store.upgrade)."""

from alembic import context

from kiosk.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `kiosk db upgrade` (Store.upgrade), which supplies the connection")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
