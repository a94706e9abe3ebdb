"""talent: catalogue, projects, roles, shortlists and their history

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "talent",
        sa.Column("row_id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False, server_default=""),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("gender", sa.String(20)),
        sa.Column("birth_year", sa.Integer()),
        sa.Column("playing_age_min", sa.Integer()),
        sa.Column("playing_age_max", sa.Integer()),
        sa.Column("city", sa.String(100)),
        sa.Column("travels", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("languages", ARRAY(sa.String(60)), nullable=False, server_default="{}"),
        sa.Column("skills", ARRAY(sa.String(80)), nullable=False, server_default="{}"),
        sa.Column("height_cm", sa.Integer()),
        sa.Column("bio", sa.Text(), nullable=False, server_default=""),
        sa.Column("credits", JSONB(), nullable=False, server_default="[]"),
        sa.Column("credit_years", ARRAY(sa.Integer()), nullable=False, server_default="{}"),
        sa.Column("agency", sa.String(200)),
        sa.Column("headshot_url", sa.Text()),
        sa.Column("showreel_url", sa.Text()),
        sa.Column("consent", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("extra", JSONB(), nullable=False, server_default="{}"),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("embedding", sa.LargeBinary()),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("workspace", "id", name="uq_talent_workspace_id"),
    )
    op.create_index("ix_talent_id", "talent", ["id"])
    op.create_index("ix_talent_languages", "talent", ["languages"], postgresql_using="gin")
    op.create_index("ix_talent_skills", "talent", ["skills"], postgresql_using="gin")
    op.create_index("ix_talent_city", "talent", ["city"])
    op.create_index("ix_talent_gender", "talent", ["gender"])
    op.create_index("ix_talent_playing_age", "talent", ["playing_age_min", "playing_age_max"])
    op.create_index("ix_talent_height", "talent", ["height_cm"])
    op.create_index("ix_talent_updated", "talent", ["updated_at"])
    op.create_index("ix_talent_name_birth", "talent", ["name_key", "birth_year"])

    op.create_table(
        "talent_projects",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("workspace", "name", name="uq_talent_projects_name"),
    )
    op.create_table(
        "talent_roles",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column(
            "project_pk",
            sa.BigInteger(),
            sa.ForeignKey("talent_projects.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("brief", sa.Text(), nullable=False, server_default=""),
        sa.Column("filters", JSONB(), nullable=False, server_default="{}"),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("workspace", "project_pk", "name", name="uq_talent_roles_name"),
    )
    op.create_index("ix_talent_roles_project_pk", "talent_roles", ["project_pk"])
    op.create_table(
        "talent_shortlist",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column(
            "role_pk",
            sa.BigInteger(),
            sa.ForeignKey("talent_roles.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("talent_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="considered"),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("role_pk", "talent_id", name="uq_talent_shortlist_role_talent"),
    )
    op.create_index("ix_talent_shortlist_talent", "talent_shortlist", ["talent_id"])
    op.create_table(
        "talent_shortlist_events",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column(
            "role_pk",
            sa.BigInteger(),
            sa.ForeignKey("talent_roles.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("talent_id", sa.String(200), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("detail", JSONB(), nullable=False, server_default="{}"),
        sa.Column("actor", sa.String(200), nullable=False, server_default=""),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index(
        "ix_talent_shortlist_events_role", "talent_shortlist_events", ["role_pk", "at"]
    )
    op.create_index(
        "ix_talent_shortlist_events_talent", "talent_shortlist_events", ["talent_id"]
    )
    op.create_table(
        "talent_current_role",
        sa.Column("conversation_id", sa.String(400), primary_key=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column(
            "role_pk",
            sa.BigInteger(),
            sa.ForeignKey("talent_roles.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("updated_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "talent_current_role",
        "talent_shortlist_events",
        "talent_shortlist",
        "talent_roles",
        "talent_projects",
        "talent",
    ):
        op.drop_table(table)
