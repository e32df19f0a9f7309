"""Alembic environment: always handed an open connection by clientdesk.storage.schema."""

from alembic import context

from clientdesk.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters most tables only by copying them
)
with context.begin_transaction():
    context.run_migrations()
