"""talent: a name's sound key, so a name written in Devanagari (or another Indic script)
finds the profile spelled in Latin ("प्रीती झिंटा" = Preity Zinta)

Revision ID: 0023_talent_name_sound
Revises: 0022_talent_credit_sound_again
"""

import sqlalchemy as sa
from alembic import op

from talent.names import skeleton

revision = "0023_talent_name_sound"
down_revision = "0022_talent_credit_sound_again"
branch_labels = None
depends_on = None


BATCH = 5000  # names an UPDATE


def upgrade() -> None:
    op.add_column(
        "talent", sa.Column("name_sound", sa.String(300), nullable=False, server_default="")
    )
    op.create_index("ix_talent_name_sound", "talent", ["name_sound"])
    # one UPDATE a batch of distinct names (as 0022 does for titles)
    bind = op.get_bind()
    names = list(bind.execute(sa.text("SELECT DISTINCT name FROM talent")).scalars())
    for start in range(0, len(names), BATCH):
        batch = names[start : start + BATCH]
        bind.execute(
            sa.text(
                "UPDATE talent AS t SET name_sound = v.key"
                " FROM unnest(CAST(:names AS text[]), CAST(:keys AS text[])) AS v(name, key)"
                " WHERE t.name = v.name"
            ),
            {"names": batch, "keys": [skeleton(name) for name in batch]},
        )


def downgrade() -> None:
    op.drop_index("ix_talent_name_sound", "talent")
    op.drop_column("talent", "name_sound")
