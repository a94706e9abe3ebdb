"""jobs: procrastinate's job queue tables (reminders and scheduled sends)

The schema is the one the installed procrastinate ships (pinned to 3.x in pyproject);
a procrastinate upgrade that changes it brings its SQL migrations, applied in a new
revision after this one.

Revision ID: 0017_jobs
Revises: 0001
"""

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0017_jobs"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # psycopg reads "%" as a placeholder marker here; the function bodies need it single.
    op.get_bind().exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    for table in ("procrastinate_events", "procrastinate_periodic_defers",
                  "procrastinate_jobs", "procrastinate_workers"):  # fmt: skip
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    for kind in ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type",
                 "procrastinate_job_status"):  # fmt: skip
        op.execute(f"DROP TYPE IF EXISTS {kind} CASCADE")
