"""`castmatch forget` as an operator runs it: what it prints and its exit codes."""

from __future__ import annotations

from tests.e2e.test_chat import castmatch

PERSON = "console:forget-me"


async def test_forget_erases_a_person_and_says_what_went(settings_env) -> None:  # type: ignore[no-untyped-def]
    said = b"remember that I cast Inspector Yadav\n"
    code, _, _ = await castmatch(settings_env, "chat", "--user", "forget-me", stdin=said)
    assert code == 0
    code, out, _ = await castmatch(settings_env, "forget", PERSON)
    assert code == 0
    assert f"Forgot {PERSON}:" in out and "PostgreSQL: 2 message(s)" in out
    code, out, _ = await castmatch(settings_env, "forget", PERSON)
    assert code == 0 and f"Nothing was stored for {PERSON}" in out


async def test_forget_with_a_malformed_person_is_refused_in_one_line(settings_env) -> None:  # type: ignore[no-untyped-def]
    code, out, err = await castmatch(settings_env, "forget", "nobody")
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1 and "CHANNEL:USER_ID" in err
