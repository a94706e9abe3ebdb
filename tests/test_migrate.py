"""Start-up skips alembic when the schema is current: that check must see the same newest
revisions alembic does, or a new migration would never be applied."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from bot.migrate import alembic_config, script_heads


def test_the_quick_check_reads_the_same_heads_as_alembic() -> None:
    assert script_heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert len(script_heads()) > 1  # the features' branches, not only the first revision
