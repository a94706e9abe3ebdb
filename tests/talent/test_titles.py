"""A film's title made of ordinary words is read as a title, not as a gender, city or
language: "Son of Sardaar" asks for no man, "Madras Cafe" for nobody in Chennai."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.tools import ToolContext
from talent.credits import said_keys, sound_key, sound_keys
from talent.importer import import_file
from talent.query import parse
from talent.search import search
from talent.titles import candidates
from tests.talent.conftest import message, profile, write_jsonl

TODAY = date(2026, 12, 7)


def test_text_written_as_a_title_is_a_candidate() -> None:
    found = set(candidates("actresses in 'Mr. and Mrs. Khiladi', and Son of Sardaar cast"))
    assert {"Mr. and Mrs. Khiladi", "Son of Sardaar"} <= found
    assert "Bombay" in set(candidates("who acted in Bombay (1995)?"))  # one word and its year
    assert "Biwi No.1" in set(candidates("Biwi No.1 cast"))  # "No." is no full stop
    assert "Mard" in set(candidates("women in the cast of Mard"))  # one word after "cast of"
    # in lower case, only beside a word for a film's people
    assert "son of sardaar" in set(candidates("son of sardaar cast"))
    assert "bombay talkies" in set(candidates("bombay talkies wali actresses"))
    assert "dulhe raja" in set(candidates("who acted in dulhe raja?"))
    assert set(candidates("college girl type, hindi, 18-22")) == set()


def test_one_word_in_lower_case_before_a_year_is_a_candidate() -> None:
    assert "lajja" in set(candidates("lajja 2001 ka cast bhejo"))
    assert "krantiveer" in set(candidates("krantiveer 94 ki actresses"))
    # an age after a skill, or a range or limit after a word, is no film's year
    assert set(candidates("dancer 25-30, hindi")) == set()
    assert set(candidates("villain 45 plus")) == set()
    assert set(candidates("model 25")) == set()


def test_a_titles_year_in_two_digits_is_no_age() -> None:
    parsed = parse("krantiveer 94 ki actresses", titles=["krantiveer"], today=TODAY)
    assert parsed.filters.compact() == {
        "gender": "female",
        "credits_from": 1994,
        "credits_to": 1994,
    }


def test_a_lower_case_first_word_with_its_year_is_a_title_key() -> None:
    from talent.credits import candidate_keys

    assert "lajja" in candidate_keys("lajja 2001 ka cast")[0]
    assert "love" not in candidate_keys("love stories, 2001 releases")[0]


def test_devanagari_titles_are_candidates_beside_a_year_or_a_hindi_cue() -> None:
    assert "मृत्युदंड" in set(candidates("मृत्युदंड (1997) में कौन था?"))
    assert "बॉम्बे वेलवेट" in set(candidates("बॉम्बे वेलवेट के कलाकार"))
    assert "मिस्टर इंडिया" in set(candidates("मिस्टर इंडिया की कास्ट"))
    # the plural typed with a chandrabindu or in the oblique, as well as with an anusvara
    assert "बॉम्बे टॉकीज़" in set(candidates("बॉम्बे टॉकीज़ की अभिनेत्रियाँ"))
    assert "बॉम्बे टॉकीज़" in set(candidates("बॉम्बे टॉकीज़ की अभिनेत्रियों में से"))
    assert set(candidates("हिंदी अभिनेत्री, 30 से 40")) == set()
    assert set(candidates("अभिनेत्री 1990 में जन्मी")) == set()  # a request's words


def test_a_title_in_devanagari_sounds_like_its_romanised_credit() -> None:
    # a word's first m is an m ("Mard"), ृ is "ri", ं an n, and "Mr." is said "mister"
    assert sound_key("मर्द") == sound_key("Mard")
    assert sound_key("मृत्युदंड") == sound_key("Mrityudand")
    assert sound_key("मिस्टर इंडिया") == sound_key("Mr. India")
    assert sound_key("मैं और मिसेज़ खन्ना") == sound_key("Main Aurr Mrs Khanna")
    assert sound_key("ओम शांति ओम") == sound_key("Om Shanti Om")
    # an English loanword's "-ay" is written े: the query's title is looked up both ways
    assert sound_key("Bombay Velvet") in said_keys("बॉम्बे वेलवेट")
    assert sound_key("Bose") != sound_key("Boss")


def test_a_devanagari_titles_small_words_are_part_of_it() -> None:
    assert sound_key("Chambal Ki Kasam") in sound_keys("चंबल की कसम वाले कलाकार")
    assert sound_key("Kal Ho Naa Ho") in sound_keys("कल हो ना हो के कलाकार")
    assert sound_keys("की कसम") == sorted(said_keys("कसम"))  # no title starts with "की"
    assert sound_key("मर्द") != sound_key("Nard")


def test_ages_lone_words_and_sentences_are_not_titles() -> None:
    assert set(candidates("female leads between 25 and 32, Telugu speaking")) == set()
    assert set(candidates("Maa ka role, Hindi")) == set()  # one capitalised word, no year
    assert set(candidates("teacher in a hindi medium school")) == set()  # not as a title
    assert "Telugu. Shoot" not in set(candidates("fluent Telugu. Shoot in Hyderabad"))
    # made only of a request's words ("Ladies Only" is also a film): the request, unless
    # quoted or dated
    assert set(candidates("Ladies Only, Hindi, 30-40")) == set()
    assert "Ladies Only" in set(candidates("'Ladies Only' cast"))
    assert "Ladies Only" in set(candidates("Ladies Only (1997) cast"))


def test_a_shielded_title_gives_no_filter_and_keeps_its_words() -> None:
    son = parse("Son of Sardaar cast", titles=["Son of Sardaar"])
    assert son.filters.gender is None and "sardaar" in son.semantic
    assert parse("Son of Sardaar cast").filters.gender == "male"  # unshielded, as before
    medium = parse("actresses in Hindi Medium", titles=["Hindi Medium"])
    assert medium.filters.gender == "female" and medium.filters.languages == []
    bombay = parse("who acted in Bombay (1995)?", titles=["Bombay"])
    assert bombay.filters.cities == [] and bombay.filters.credits_from == 1995


async def _film_cast_and_a_man_in_chennai(services, tmp_path: Path, prefix: str) -> None:  # type: ignore[no-untyped-def]
    film = {"title": "Mard Ki Chennai Kahaniyan", "year": 2016, "role": "Meera"}
    people = [
        profile(
            prefix + "cast", gender="female", city="Pune", languages=["Marathi"], credits=[film]
        ),
        profile(prefix + "other", gender="male", city="Chennai", languages=["Tamil"]),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))


async def test_search_reads_a_catalogue_title_as_a_title(
    services, tmp_path: Path, prefix: str
) -> None:
    await _film_cast_and_a_man_in_chennai(services, tmp_path, prefix)
    found = await search(services, "Mard Ki Chennai Kahaniyan cast", limit=5)
    assert found.hits and found.hits[0].id == prefix + "cast"
    assert found.filters.gender is None and found.filters.cities == []
    assert any("read as a title" in note for note in found.parsed.assumed)
    # the same words not written as a title stay filters: a man in Chennai
    found = await search(services, "mard, chennai", limit=50)
    assert prefix + "cast" not in {h.id for h in found.hits}


async def test_the_bots_search_tool_reads_a_catalogue_title_as_a_title(
    services, tmp_path: Path, prefix: str
) -> None:
    """Claude's `search_talent` (and so Slack, WhatsApp and the offline responder) reads
    titles as the CLI does: "... cast" finds the film's people, with no Chennai filter."""
    await _film_cast_and_a_man_in_chennai(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws"), services)
    found = await services.tools.run(
        "search_talent", {"query": "Mard Ki Chennai Kahaniyan cast"}, ctx
    )
    assert not found.is_error, found.content
    ours = [r["id"] for r in found.content["results"] if r["id"].startswith(prefix)]
    assert ours[:1] == [prefix + "cast"]  # (other tests' people may hold the title too)
    assert "gender" not in found.content["filters"] and "cities" not in found.content["filters"]
    assert any("read as a title" in note for note in found.content["assumed"])


async def test_a_devanagari_title_finds_both_spellings_of_its_film(
    services, tmp_path: Path, prefix: str
) -> None:
    """ "मृत्युदाता" sounds like both "Mrityudata" and "Mrityudaata": the longer spelling
    must not push the shorter one's cast out."""
    people = [
        profile(prefix + "a", credits=[{"title": "Mrityudata", "year": 1997}]),
        profile(prefix + "b", credits=[{"title": "Mrityudaata", "year": 1997}]),
        profile(prefix + "c", credits=[{"title": "Mrityudand", "year": 1997}]),
    ]
    await import_file(services, write_jsonl(tmp_path / "m.jsonl", people))
    found = await search(services, "'मृत्युदाता' (1997) के कलाकार", limit=50)
    ours = [h.id for h in found.hits if h.id.startswith(prefix)]
    assert set(ours[:2]) == {prefix + "a", prefix + "b"}


def test_a_short_devanagari_title_quoted_or_dated_and_a_chandrabindu_are_heard() -> None:
    assert sound_key("Lajja") in sound_keys("लज्जा (2001) में काम करने वाली")
    assert sound_key("Lajja") in sound_keys("'लज्जा' की अभिनेत्री")
    assert sound_key("Lajja") not in sound_keys("लज्जा आणि अभिमान")  # a word, said plainly
    assert sound_key("Main Hoon Na") in sound_keys("मैं हूँ ना में काम करने वाली")
