"""Role, title and surname labels resolved to people (interviews.parsing.people, mentions,
offices): pure, no database."""

import datetime as dt
import json

import pytest

from interviews.parsing import OfficeTerm, parse_transcript
from interviews.parsing.mentions import office_mentions, surname_mentions
from interviews.parsing.offices import holders, holders_named
from interviews.parsing.people import (
    Context,
    fullness,
    label_shape,
    matching_names,
    resolve,
    same_person,
)

from .conftest import ROOT, SEED_FIXTURE, SEED_TRANSCRIPT

# A made-up republic, so the tests hold whatever happens in the world.
OFFICES = (
    OfficeTerm("President of Freedonia", ("The President", "President"), "Rufus Firefly",
               dt.date(2020, 1, 1), dt.date(2024, 1, 1)),
    OfficeTerm("President of Freedonia", ("The President", "President"), "Gloria Teasdale",
               dt.date(2024, 1, 1), None),
    OfficeTerm("First Lady of Freedonia", ("The First Lady",), "Marion Firefly",
               dt.date(2020, 1, 1), dt.date(2024, 1, 1)),
    OfficeTerm("Press Secretary of Freedonia", ("The Press Secretary", "Press Secretary"),
               "Bob Roland", dt.date(2020, 1, 1), None),
    OfficeTerm("Prime Minister of Sylvania", ("The Prime Minister", "Prime Minister"),
               "Trentino Ambassador", dt.date(2019, 1, 1), None),
)  # fmt: skip
IN_2022 = dt.date(2022, 6, 1)


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("The President", ("role", ["president"], "")),
        ("President", ("role", ["president"], "")),
        ("Moderator", ("role", ["moderator"], "")),
        ("The Second Gentleman", ("role", ["second", "gentleman"], "")),
        ("President Biden", ("titled", ["president"], "Biden")),
        ("Acting Administrator Slavitt", ("titled", ["acting", "administrator"], "Slavitt")),
        ("Psaki", ("surname", [], "Psaki")),
        ("Ms. Psaki", ("surname", [], "Psaki")),
        ("Jean-Pierre", ("surname", [], "Jean-Pierre")),
        ("Administrator Deanne Criswell", ("full", ["administrator"], "Deanne Criswell")),
        ("Dr. Anthony Fauci", ("full", [], "Anthony Fauci")),
        ("Vladimir Putin", ("full", [], "Vladimir Putin")),
    ],
)
def test_label_shapes(name, shape):
    assert label_shape(name) == shape


def test_surname_mentions_take_the_given_name_and_stop_at_offices_and_punctuation():
    text = (
        "Press Briefing by Press Secretary Jen Psaki and National Economic Director Brian "
        "Deese. Thanks, Jeff Zients. Hello, I’m Jeff Zients. (Laughter.) Durbin spoke; "
        "Coordinator for Strategic Communications John Kirby and President of Russia "
        "Vladimir Putin, then Joseph R. Biden."
    )
    assert [m.name for m in surname_mentions(text, "PSAKI")] == ["Jen Psaki"]
    assert [m.name for m in surname_mentions(text, "Deese")] == ["Brian Deese"]
    assert [m.name for m in surname_mentions(text, "Zients")] == ["Jeff Zients"] * 2
    assert [m.full for m in surname_mentions(text, "Durbin")] == [False]
    assert [m.name for m in surname_mentions(text, "Kirby")] == ["John Kirby"]
    assert [m.name for m in surname_mentions(text, "Putin")] == ["Vladimir Putin"]
    assert [m.name for m in surname_mentions(text, "Biden")] == ["Joseph Biden"]
    assert [m.name for m in surname_mentions(text, "JEAN-PIERRE")] == []


def test_office_mentions_read_the_name_after_the_office_only():
    title = (
        "Remarks by President Biden and Vice President Harris Aboard Air Force Two, and "
        "First Lady Jill Biden Announcing a Plan"
    )
    assert [(m.given, m.surname) for m in office_mentions(title, ["president"])] == [((), "Biden")]
    assert [(m.given, m.surname) for m in office_mentions(title, ["vice", "president"])] == [
        ((), "Harris")
    ]
    assert [m.name for m in office_mentions(title, ["first", "lady"])] == ["Jill Biden"]
    deputy = "Gaggle by Deputy Press Secretary Andrew Bates"
    assert office_mentions(deputy, ["press", "secretary"]) == []


def test_office_table_by_label_date_and_surname():
    assert [t.person for t in holders(OFFICES, "THE PRESIDENT", IN_2022)] == ["Rufus Firefly"]
    assert [t.person for t in holders(OFFICES, "President", dt.date(2024, 1, 1))] == [
        "Gloria Teasdale"  # the end day is the successor's first
    ]
    assert holders(OFFICES, "The President", None) == []
    assert holders(OFFICES, "The Vice President", IN_2022) == []
    assert [t.person for t in holders_named(OFFICES, "FIREFLY", IN_2022)] == [
        "Rufus Firefly",
        "Marion Firefly",
    ]


def _context(title="", lead="", date=IN_2022, body=""):
    return Context(title=title, lead=lead, date=date, offices=OFFICES, body=body)


def test_a_role_is_the_office_holder_of_the_day():
    assert resolve("The President", [], _context()).name == "Rufus Firefly"
    later = resolve("The President", [], _context(date=dt.date(2025, 3, 1)))
    assert (later.name, later.role, later.per_event) == ("Gloria Teasdale", "President", False)


def test_the_transcripts_evidence_comes_before_the_table():
    visit = _context(title="Remarks by President Firefly and Prime Minister Pinky of Ruritania")
    assert resolve("The Prime Minister", [], visit).name == "Prime Minister Pinky"
    assert resolve("The President", [], visit).name == "Rufus Firefly"
    named = _context(lead="Prime Minister Hector Pinky of Ruritania arrived.")
    assert resolve("The Prime Minister", [], named).name == "Hector Pinky"


def test_a_role_nobody_is_named_for_stays_with_its_event():
    assert resolve("Moderator", [], _context()).per_event
    nobody = resolve("The Vice President", [], _context(title="Remarks at a dinner"))
    assert (nobody.name, nobody.per_event) == ("The Vice President", True)
    undated = resolve("The President", [], _context(date=None))
    assert undated.per_event
    named = _context(title="Forum session with moderator Fyodor Lukyanov")
    assert resolve("Moderator", [], named).name == "Fyodor Lukyanov"


def test_two_offices_of_one_label_are_told_apart_by_who_the_text_names():
    offices = (
        *OFFICES,
        OfficeTerm("President of Ruritania", ("The President",), "Rudolf Rassendyll",
                   dt.date(2020, 1, 1), None),
    )  # fmt: skip
    talk = Context(date=IN_2022, offices=offices, body="We thank Mr. Rassendyll for coming.")
    assert resolve("The President", [], talk).name == "Rudolf Rassendyll"
    silent = Context(date=IN_2022, offices=offices, body="Thank you all.")
    assert resolve("The President", [], silent).per_event


def test_a_surname_gets_the_full_name_the_title_or_the_introduction_gives():
    title = _context(title="Press Briefing by Press Secretary Bob Roland")
    assert resolve("Roland", [], title).name == "Bob Roland"
    introduced = resolve(
        "Grubb", ["I am joined today by our budget director, Ann Grubb."], _context()
    )
    assert introduced.name == "Ann Grubb"
    unknown = resolve("Grubb", ["Over to you."], _context())
    assert (unknown.name, unknown.per_event, unknown.resolved) == ("Grubb", False, False)


def test_a_surname_alone_is_the_office_holder_with_it_when_only_one():
    assert resolve("Roland", [], _context()).name == "Bob Roland"
    assert resolve("President Firefly", [], _context()).name == "Rufus Firefly"
    # Two Fireflys in office that day: a bare "MRS. FIREFLY" is not guessed.
    assert resolve("Firefly", [], _context()).name == "Firefly"
    spouse = _context(title="Remarks by President Firefly and First Lady Marion Firefly")
    assert resolve("Firefly", [], spouse).name == "Marion Firefly"
    assert resolve("President Firefly", [], spouse).name == "Rufus Firefly"


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Jen Psaki", "Psaki", True),
        ("Jen Psaki", "Ms. Psaki", True),
        ("Jennifer Granholm", "Secretary Granholm", True),
        ("Vladimir Putin", "V. Putin", True),
        ("Vladimir Putin", "D. Putin", False),
        ("Sarah Sanders", "Symone Sanders", False),
        ("Joe Biden", "The President", False),
        ("Moderator", "Moderator", False),
        ("Sergei Mikhailov", "Sergei Mikhaylov", True),
    ],
)
def test_names_that_can_be_one_persons(one, other, same):
    assert same_person(one, other) is same
    assert same_person(other, one) is same


def test_roles_never_find_a_person_in_other_transcripts():
    assert fullness("The President") == -1
    assert matching_names("Joe Biden", ("The President", "President Biden")) == [
        "Joe Biden",
        "President Biden",
    ]


BRIEFING = """Press Briefing by Press Secretary Bob Roland and Budget Director Ann Grubb

June 1, 2022

MR. ROLAND: Good afternoon. Ann is here to talk about the budget.

MS. GRUBB: Thank you, Bob.

Q Will the President sign it?

MR. ROLAND: THE PRESIDENT will, yes.

MODERATOR: That is all the time we have.

THE PRESIDENT: (Joins briefly.) I will sign it on Friday.

MR. ROLAND: Thank you, everyone.
"""


def test_a_briefing_names_its_people():
    parsed = parse_transcript(BRIEFING.encode(), offices=OFFICES)
    people = {speaker.name: speaker for speaker in parsed.speakers if not speaker.anonymous}
    assert set(people) == {"Bob Roland", "Ann Grubb", "Moderator", "Rufus Firefly"}
    assert people["Moderator"].per_event
    assert not people["Rufus Firefly"].per_event
    assert "The President" in people["Rufus Firefly"].aliases
    assert "Mr. Roland" in people["Bob Roland"].aliases
    without_table = parse_transcript(BRIEFING.encode())
    names = {speaker.name: speaker.per_event for speaker in without_table.speakers}
    assert names["The President"] is True


def test_the_seed_is_unchanged_with_the_shipped_office_table():
    shipped = json.loads((ROOT / "fixtures" / "offices.json").read_text(encoding="utf-8"))
    offices = {r["fields"]["slug"]: r["fields"] for r in shipped if r["model"].endswith("office")}
    terms = tuple(
        OfficeTerm(
            offices[fields["office"][0]]["name"],
            tuple(offices[fields["office"][0]]["labels"].splitlines()),
            fields["person"],
            dt.date.fromisoformat(fields["start"]) if fields["start"] else None,
            dt.date.fromisoformat(fields["end"]) if fields["end"] else None,
        )
        for record in shipped
        if record["model"] == "interviews.officeholder"
        for fields in [record["fields"]]
    )
    assert len(terms) > 20
    from interviews.ingest.fixtures import dumps, to_fixture

    parsed = parse_transcript(SEED_TRANSCRIPT.read_bytes(), SEED_TRANSCRIPT.name, offices=terms)
    assert dumps(to_fixture(parsed)) == SEED_FIXTURE.read_text(encoding="utf-8")


def test_a_title_the_table_confirms_wins_over_a_namesake_in_the_text():
    foundation = _context(title="Remarks by President Firefly at the Zelda Firefly Foundation")
    assert resolve("President Firefly", [], foundation).name == "Rufus Firefly"
    # With no title, the one full name of the text is taken, as for any surname.
    assert resolve("Firefly", [], foundation).name == "Zelda Firefly"


def test_forms_of_address_are_no_given_names():
    text = "Welcome, Her Excellency Gloria Teasdale, and President-Elect Pinky."
    assert [m.name for m in surname_mentions(text, "Teasdale")] == ["Gloria Teasdale"]
    assert [m.full for m in surname_mentions(text, "Pinky")] == [False]


def test_a_title_out_of_office_is_the_one_person_who_held_it():
    later = _context(date=dt.date(2030, 1, 1))
    assert resolve("President Firefly", [], later).name == "Rufus Firefly"
    assert resolve("Firefly", [], later).name == "Firefly"  # no title: not guessed
    undated = _context(date=None)
    assert resolve("Roland", [], undated).name == "Roland"


def test_a_surname_nobody_names_keeps_its_honorific():
    text = BRIEFING.replace("Budget Director Ann Grubb", "a guest").replace(
        "Ann is here", "Our guest is here"
    )
    parsed = parse_transcript(text.encode(), offices=OFFICES)
    names = {speaker.name for speaker in parsed.speakers}
    assert "Ms. Grubb" in names and "Bob Roland" in names
    assert same_person("Ms. Grubb", "Ann Grubb") and same_person("Grubb", "Ms. Grubb")
    assert not same_person("Ms. Grubb", "Mr. Grubb")
    assert same_person("Dr. Grubb", "Mr. Grubb")


def test_a_name_near_a_role_label_does_not_outweigh_the_table():
    # The speaker's own words name a visitor; the table names the President that day.
    own_words = ["I am honored to stand here with President Pinky today."]
    assert resolve("The President", own_words, _context()).name == "Rufus Firefly"
    # Without a holder that day, a name from the turns is still better than nothing.
    later = _context(date=dt.date(2019, 6, 1))
    assert resolve("The President", own_words, later).name == "President Pinky"


def test_a_title_no_holder_fits_is_not_given_to_one():
    assert resolve("Senator Firefly", [], _context()).name == "Senator Firefly"
