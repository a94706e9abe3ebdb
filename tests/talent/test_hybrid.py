"""Lexical + semantic: rare words and film titles count; nothing qualifying says what to relax."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from talent import lexical
from talent import search as search_module
from talent.importer import import_file, import_records
from talent.models import SHARED, Talent
from talent.profile import TalentRecord
from talent.query import parse
from talent.search import search
from tests.talent.conftest import profile, write_jsonl

SHARED_ONLY = (SHARED,)


async def test_a_rare_word_and_a_film_title_find_their_person(
    services, tmp_path: Path, prefix: str
) -> None:
    people = [
        profile(
            prefix + "title",
            name="Ira Qadri",
            bio="An actress from Lucknow known for period dramas.",
            credits=[{"title": "Xenobhoomi Nights", "year": 2011, "role": "Lead"}],
        ),
        profile(
            prefix + "award",
            name="Veda Kamat",
            bio="A stage actress; she received the Zorawar Shri honour for her work in theatre.",
        ),
        *[
            profile(prefix + f"other{n}", bio="An actress from Lucknow known for period dramas.")
            for n in range(3)
        ],
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, "who acted in Xenobhoomi Nights?", limit=5)
    assert found.hits[0].id == prefix + "title"
    found = await search(services, "women with a Zorawar Shri", limit=5)
    assert found.hits[0].id == prefix + "award"


async def test_nobody_qualifying_names_the_filter_to_relax(
    services, tmp_path: Path, prefix: str
) -> None:
    person = profile(prefix + "only", city="Goa", languages=["Konkani"], birth_year=1996)
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", [person]))
    found = await search(services, "Konkani speaking woman in Goa aged 85 to 95")
    assert found.hits == []
    assert found.relax.startswith("relax age (85, 95): ")
    assert "would qualify" in found.relax


async def test_a_film_named_by_its_initials_or_words_finds_its_cast(
    services, tmp_path: Path, prefix: str
) -> None:
    film = {"title": "Qorvath Na Milega Zubaan", "year": 2014, "role": "Kabir"}
    people = [
        profile(prefix + "cast", gender="male", credits=[film]),
        profile(prefix + "not", gender="male", bio="Known for Qorvath dramas on stage."),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    for text in ("men from QNMZ", "who was in qorvath na milega zubaan?"):
        found = await search(services, text, limit=5)
        assert found.hits[0].id == prefix + "cast", text
        assert "Qorvath Na Milega Zubaan (2014)" in found.hits[0].card.why
    people[0]["credits"] = []  # a re-import replaces the credit rows
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, "men from QNMZ", limit=5)
    assert all("Qorvath Na Milega Zubaan" not in h.card.why for h in found.hits)


async def test_worked_with_finds_who_shared_a_film(services, tmp_path: Path, prefix: str) -> None:
    shared = {"title": "Yarrowbeck Express", "year": 2003, "role": ""}
    people = [
        profile(prefix + "star", name=f"Ottoline {prefix[:-1]}vask", credits=[shared]),
        profile(prefix + "costar", credits=[shared, {"title": "Other", "year": 2005}]),
        profile(prefix + "remake", credits=[{**shared, "year": 2019}]),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, f"actresses who worked with Ottoline {prefix[:-1]}vask", limit=5)
    assert found.hits[0].id == prefix + "costar"
    assert "Yarrowbeck Express (2003)" in found.hits[0].card.why
    assert prefix + "remake" not in [h.id for h in found.hits[:1]]


async def test_worked_with_a_one_word_screen_name(services, tmp_path: Path, prefix: str) -> None:
    shared = {"title": "Wendelbrook Junction", "year": 1998, "role": ""}
    # a one-word screen name, as "Kajol", "Rekha" (letters only, unique to this run)
    star = "Zephyrine" + prefix[:-1].translate(str.maketrans("0123456789", "ghijklmnop"))
    people = [
        profile(prefix + "star", name=star, credits=[shared]),
        profile(prefix + "costar", credits=[shared]),
        *[profile(prefix + f"other{n}") for n in range(3)],
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    for text in (f"worked with {star}", f"{star} ke saath kaam kiya"):
        found = await search(services, text, limit=5)
        assert found.hits[0].id == prefix + "costar", text
        assert "Wendelbrook Junction (1998)" in found.hits[0].card.why


async def test_a_name_written_in_devanagari_finds_who_worked_with_them(
    services, tmp_path: Path, prefix: str
) -> None:
    # the catalogue spells them in Latin, as their credits do; the query as said in Hindi
    # or Marathi, with another vowel length, a schwa left out, झ for z
    preity = {"title": f"Vasantgarh {prefix}", "year": 2001, "role": ""}
    john = {"title": f"Kesarbagh {prefix}", "year": 2006, "role": ""}
    kajol = {"title": f"Rangmahal {prefix}", "year": 1997, "role": ""}
    people = [
        profile(prefix + "preity", name="Preity Zinta", credits=[preity]),
        profile(prefix + "john", name="John Abraham", gender="male", credits=[john]),
        profile(prefix + "kajol", name="Kajol", credits=[kajol]),
        profile(prefix + "with-preity", gender="male", credits=[preity]),
        profile(prefix + "with-john", credits=[john]),
        profile(prefix + "with-kajol", credits=[kajol]),
        *[profile(prefix + f"other{n}") for n in range(3)],
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    asked = [
        ("प्रीती झिंटा के साथ काम किया हो", "with-preity", preity),
        ("प्रीती झिंटासोबत काम केलेला अभिनेता", "with-preity", preity),
        ("जॉन अब्राहम के को-स्टार", "with-john", john),
        ("काजोलसोबत काम केलेली", "with-kajol", kajol),
    ]
    for text, costar, film in asked:
        found = await search(services, text, limit=5)
        assert found.hits[0].id == prefix + costar, text
        assert f"{film['title']} ({film['year']})" in found.hits[0].card.why, text
    # "काजल" (kohl) is a word, not Kajol: nobody is credited for working with her
    found = await search(services, "काजल के साथ काम किया हो", limit=10)
    assert all(kajol["title"] not in h.card.why for h in found.hits)


async def test_someone_like_a_person_named_in_devanagari(
    services, tmp_path: Path, prefix: str
) -> None:
    people = [
        profile(
            prefix + "model",
            name="Madhuri Dixit",
            bio="A bubbly actress with dimples, known for cheerful romantic comedies.",
        ),
        profile(
            prefix + "alike",
            bio="A cheerful, bubbly actress with dimples who leads light romantic comedies.",
        ),
        profile(prefix + "other0", bio="A stern character actor who plays gangsters and cops."),
        profile(prefix + "other1", bio="A classical vocalist trained in Hindustani music."),
        profile(prefix + "other2", bio="A documentary film-maker and editor from Kolkata."),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    for text in ("माधुरी दीक्षित जैसी कोई", "माधुरी दीक्षितसारखी अभिनेत्री", "like Madhuri Dixit"):
        found = await search(services, text, limit=5)
        ids = [h.id for h in found.hits]
        assert prefix + "model" not in ids, text  # not herself
        assert ids[0] == prefix + "alike", text
        assert found.hits[0].card.why.startswith("like Madhuri Dixit"), text
    # "नानी जैसी" is a grandmother's part, whoever is named Nani
    nani = profile(prefix + "nani", name="Nani", gender="male", bio="A Telugu film star.")
    await import_file(services, write_jsonl(tmp_path / "n.jsonl", [nani]))
    found = await search(services, "नानी जैसी कोई", limit=5)
    assert all(not h.card.why.startswith("like ") for h in found.hits)


async def test_a_title_written_in_devanagari_finds_the_film(
    services, tmp_path: Path, prefix: str
) -> None:
    film = {"title": "Shankhnaad Vijeta", "year": 1994, "role": ""}
    person = profile(prefix + "dev", credits=[film])
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", [person]))
    found = await search(services, "शंखनाद विजेता के कलाकार", limit=5)
    assert found.hits[0].id == prefix + "dev"


async def test_a_film_named_alone_with_its_year_finds_its_cast(
    services, tmp_path: Path, prefix: str
) -> None:
    film = {"title": "Quarrybund", "year": 1993, "role": ""}
    people = [
        profile(prefix + "cast", credits=[film]),
        profile(prefix + "remake", credits=[{**film, "year": 2011}]),
        profile(prefix + "bio", bio="Grew up near the Quarrybund hills; acted in 1993 plays."),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, "Quarrybund (1993) cast", limit=5)
    assert found.hits[0].id == prefix + "cast"
    assert "Quarrybund (1993)" in found.hits[0].card.why


async def test_born_in_comes_before_based_in(services, tmp_path: Path, prefix: str) -> None:
    people = [
        profile(prefix + "based", bio="An actress based in Bombay, born in Nagpur in 1990."),
        profile(prefix + "born", bio="An actress born in Bombay who lives in Pune now."),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, "actresses born in Mumbai", limit=5)
    assert [h.id for h in found.hits[:1]] == [prefix + "born"]
    assert found.hits[0].card.why.startswith("born in Mumbai")


async def test_words_said_together_outrank_the_same_words_apart_and_plurals_find_singulars(
    services, tmp_path: Path, prefix: str
) -> None:
    people = [
        profile(prefix + "apart", name="Quellan Ahuja", bio="An actress. Vir Das cast her."),
        profile(prefix + "phrase", bio="An actress who received the Quellan Vir citation."),
        profile(prefix + "near", bio="Winner of the Quellan State Vir award, twice."),
        profile(prefix + "one", bio="She was a contestant on Jhilmil Stage."),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    mine = [Talent.id.startswith(prefix)]
    async with services.sessions() as session:
        ids = dict((await session.execute(select(Talent.row_id, Talent.id).where(*mine))).all())
    ranked = [
        ids[r] for r, _ in await lexical.rank(services, ["quellan", "vir"], mine, scope=SHARED_ONLY)
    ]
    # together, or one word between ("National Film Award"), before apart
    assert set(ranked[:2]) == {prefix + "phrase", prefix + "near"}
    assert ranked[2:] == [prefix + "apart"]
    found = await lexical.rank(services, ["contestants"], mine, scope=SHARED_ONLY)
    assert [ids[r] for r, _ in found] == [prefix + "one"]
    assert lexical.singular("contestants") == "contestant"
    assert lexical.singular("boss") == "boss" and lexical.singular("actress") == "actress"


async def test_a_word_of_a_longer_name_the_bios_know_is_not_a_film_title(
    services, tmp_path: Path, prefix: str
) -> None:
    people = [
        profile(prefix + "film", credits=[{"title": "Ximbor", "year": 2006, "role": ""}]),
        profile(prefix + "show", bio="She was a contestant on Wexel Ximbor, season two."),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, "Wexel Ximbor contestants", limit=5)
    assert found.hits[0].id == prefix + "show"
    assert all("in Ximbor" not in h.card.why for h in found.hits)
    found = await search(services, "Hindi Ximbor cast", limit=5)  # no "Hindi Ximbor" anywhere
    assert found.hits[0].id == prefix + "film" and "in Ximbor (2006)" in found.hits[0].card.why


async def test_a_hindi_biography_word_finds_the_english_bio_that_says_it(
    services, tmp_path: Path, prefix: str
) -> None:
    people = [
        profile(prefix + "stage", bio="Trained in theatre at Prithvi, then films."),
        *[profile(prefix + f"o{n}", bio="Known for films and music videos.") for n in range(4)],
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    mine = [Talent.id.startswith(prefix)]
    parsed = parse("नाटक से आई अभिनेत्री")
    words = lexical.terms(search_module._lexical_text(parsed))
    found = await lexical.rank(services, words, mine, scope=SHARED_ONLY)
    async with services.sessions() as session:
        ids = dict((await session.execute(select(Talent.row_id, Talent.id).where(*mine))).all())
    assert [ids[r] for r, _ in found] == [prefix + "stage"]


async def test_a_digit_in_initials_repeats_its_letter(
    services, tmp_path: Path, prefix: str
) -> None:
    film = {"title": "Kora Kaagaz Kori Gathri", "year": 2001, "role": ""}
    people = [profile(prefix + "cast", credits=[film]), profile(prefix + "not")]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, "K3G cast", limit=5)  # K-K-K-G, as "K3G" is written
    assert found.hits[0].id == prefix + "cast"
    assert "Kora Kaagaz Kori Gathri (2001)" in found.hits[0].card.why


async def test_a_dictionary_word_alone_is_not_a_film_title(
    services, tmp_path: Path, prefix: str
) -> None:
    people = [
        profile(prefix + "film", credits=[{"title": "Puraskar", "year": 1970, "role": ""}]),
        profile(prefix + "award", bio="She won a state award for her debut."),
    ]
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    found = await search(services, "पुरस्कार विजेता अभिनेत्री", limit=5)  # "award winning"
    assert all("Puraskar" not in h.card.why for h in found.hits)


def test_a_generic_noun_completing_a_term_is_looked_up_with_it() -> None:
    # "child artist" is a term the bios use; "artists" alone says nothing
    words = lexical.terms(search_module._lexical_text(parse("women who began as child artists")))
    assert words[-2:] == ["child", "artists"]
    assert "artists" not in lexical.terms(search_module._lexical_text(parse("artists in Goa")))


def test_an_award_category_keeps_its_performers_noun() -> None:
    # "actress" alone says nothing the gender filter has not said; "Best Actress" names a prize
    words = lexical.terms(search_module._lexical_text(parse("Best Actress winners")))
    assert words[:2] == ["best", "actress"]
    assert "actress" not in lexical.terms(search_module._lexical_text(parse("Telugu actresses")))


def test_a_hyphenated_word_is_looked_up() -> None:
    words = lexical.terms(search_module._lexical_text(parse("highest-paid actresses")))
    assert words == ["highest", "paid"]


async def test_a_word_common_in_another_workspaces_catalogue_still_counts_here(
    services, tmp_path: Path, prefix: str, monkeypatch
) -> None:
    """How common a word is comes from the catalogues searched: one agency's large
    catalogue full of "zephyrine" leaves it a rare word for everyone else."""
    theirs = [
        TalentRecord.model_validate(profile(prefix + f"theirs{n}", bio="A Zephyrine regular."))
        for n in range(4)
    ]
    await import_records(services, theirs, workspace=prefix + "agency")
    await import_file(
        services, write_jsonl(tmp_path / "c.jsonl", [profile(prefix + "ours", bio="Zephyrine.")])
    )
    monkeypatch.setattr(lexical, "COMMON_FROM", 3)
    mine = [Talent.id.startswith(prefix), Talent.workspace == SHARED]
    found = await lexical.rank(services, ["zephyrine"], mine, scope=(SHARED, prefix + "other"))
    assert len(found) == 1  # held by one profile here, though by five in all
    everyone = (SHARED, prefix + "agency")
    assert await lexical.rank(services, ["zephyrine"], mine, scope=everyone) == []


async def test_a_word_too_many_profiles_hold_is_left_to_the_semantic_ranking(
    services, tmp_path: Path, prefix: str, monkeypatch
) -> None:
    people = [
        profile(prefix + f"many{n}", bio="A Zephyrine Theatre regular from Pune.") for n in range(3)
    ]
    people.append(profile(prefix + "rare", bio="Zephyrine Theatre; trained in quorlish mime."))
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", people))
    mine = [Talent.id.startswith(prefix)]
    async with services.sessions() as session:
        ids = dict((await session.execute(select(Talent.row_id, Talent.id).where(*mine))).all())
    found = await lexical.rank(services, ["zephyrine", "quorlish"], mine, scope=SHARED_ONLY)
    assert {ids[r] for r, _ in found} == {prefix + f"many{n}" for n in range(3)} | {prefix + "rare"}
    monkeypatch.setattr(lexical, "COMMON_FROM", 3)  # four profiles hold "zephyrine"
    found = await lexical.rank(services, ["zephyrine", "quorlish"], mine, scope=SHARED_ONLY)
    assert [ids[r] for r, _ in found] == [prefix + "rare"]
    assert await lexical.rank(services, ["zephyrine"], mine, scope=SHARED_ONLY) == []
