"""One participant per person across transcripts: the office table, imports, lookups."""

import datetime as dt

import pytest
from django.core.management import call_command

from interviews.ingest.imports import office_table, transcript_import
from interviews.models import (
    Alias,
    Correction,
    Office,
    OfficeHolder,
    Participant,
    ParticipantRedirect,
    Turn,
)

from .conftest import ROOT

pytestmark = pytest.mark.django_db
OFFICES_FIXTURE = ROOT / "fixtures" / "offices.json"


@pytest.fixture
def freedonia():
    """A made-up office table: the tests hold whatever happens in the world."""
    president = Office.objects.create(
        name="President of Freedonia", slug="president-of-freedonia", labels="The President"
    )
    OfficeHolder.objects.create(
        office=president, person="Rufus Firefly", start=dt.date(2020, 1, 1), end=dt.date(2024, 1, 1)
    )
    OfficeHolder.objects.create(
        office=president, person="Gloria Teasdale", start=dt.date(2024, 1, 1)
    )
    return president


def briefing(date: str, title: str, body: str) -> bytes:
    return f"{title}\n\n{date}\n\n{body.strip()}\n".encode()


def speaker_turns(name: str) -> list[str]:
    """Event slugs of the turns `?speaker=name` returns, through the API's own lookup."""
    from interviews.api.selectors import participant_ids_named

    ids = participant_ids_named([name])
    return sorted(Turn.objects.filter(speaker_id__in=ids).values_list("event__slug", flat=True))


PRESIDENT = """
THE PRESIDENT: Good morning, everyone. We are here to open the new bridge.

Q Mr. President, when will it open?

THE PRESIDENT: Tomorrow, at noon.

MODERATOR: Thank you, that is all.
"""


def test_a_role_label_is_the_person_in_office_that_day(freedonia):
    transcript_import(data=briefing("March 1, 2022", "Remarks at a Bridge", PRESIDENT))
    transcript_import(data=briefing("March 1, 2025", "Remarks at a Tunnel", PRESIDENT))
    firefly = Participant.objects.get(name="Rufus Firefly")
    teasdale = Participant.objects.get(name="Gloria Teasdale")
    assert firefly.turns.count() == 2 and teasdale.turns.count() == 2
    assert set(firefly.aliases.values_list("name", flat=True)) == {"The President"}
    assert speaker_turns("Rufus Firefly") == ["2022-03-01-remarks-at-a-bridge"] * 2
    assert speaker_turns("gloria-teasdale") == ["2025-03-01-remarks-at-a-tunnel"] * 2
    # The printed label stays on the turn.
    assert set(firefly.turns.values_list("speaker_label", flat=True)) == {"THE PRESIDENT"}


def test_roles_that_name_nobody_are_participants_of_their_event_only(freedonia):
    transcript_import(data=briefing("March 1, 2019", "Remarks at a Bridge", PRESIDENT))
    transcript_import(data=briefing("March 2, 2019", "Remarks at a Dam", PRESIDENT))
    moderators = Participant.objects.filter(name="Moderator")
    presidents = Participant.objects.filter(name="The President")  # before the table starts
    assert moderators.count() == 2 and presidents.count() == 2
    for participant in [*moderators, *presidents]:
        assert participant.events.count() == 1
        assert participant.slug.endswith(participant.events.get().slug)


def test_a_person_first_known_by_surname_gets_the_full_name_later():
    body = "MS. SMITHERS: Good afternoon.\n\nQ A question?\n\nMS. SMITHERS: An answer."
    first = transcript_import(data=briefing("May 2, 2022", "Press Gaggle En Route", body))
    smithers = Participant.objects.get(slug="ms-smithers")  # nobody named her yet
    second = transcript_import(
        data=briefing("May 3, 2022", "Press Briefing by Press Secretary Jane Smithers", body)
    )
    assert second.matched == {"Jane Smithers": "jane-smithers"}
    smithers.refresh_from_db()
    assert (smithers.name, smithers.slug) == ("Jane Smithers", "jane-smithers")
    assert smithers.turns.count() == 4
    assert ParticipantRedirect.objects.get(slug="ms-smithers").participant == smithers
    assert speaker_turns("ms-smithers") == speaker_turns("Jane Smithers")
    assert len(speaker_turns("Jane Smithers")) == 4
    assert "Ms. Smithers" in smithers.aliases.values_list("name", flat=True)
    # A third briefing that names nobody still finds her by the label's form.
    third = transcript_import(data=briefing("May 4, 2022", "Press Gaggle Aboard", body))
    assert third.matched == {"Ms. Smithers": "jane-smithers"}
    assert first.status == "imported"


def test_an_editors_name_is_not_overwritten_by_a_fuller_one():
    body = "MS. SMITHERS: Good afternoon.\n\nQ A question?\n\nMS. SMITHERS: An answer."
    transcript_import(data=briefing("May 2, 2022", "Press Gaggle En Route", body))
    smithers = Participant.objects.get(slug="ms-smithers")
    smithers.name = "J. Smithers (press office)"
    smithers.save()
    Correction.objects.create(model="interviews.participant", object_id=smithers.pk, field="name")
    transcript_import(
        data=briefing("May 3, 2022", "Press Briefing by Press Secretary Jane Smithers", body)
    )
    smithers.refresh_from_db()
    assert (smithers.name, smithers.slug) == ("J. Smithers (press office)", "ms-smithers")


def test_two_people_printed_alike_stay_two():
    body = "MS. SANDS: Good afternoon.\n\nQ A question?\n\nMS. SANDS: An answer."
    transcript_import(data=briefing("May 2, 2021", "Gaggle by Aide Symone Sands", body))
    transcript_import(data=briefing("May 2, 2018", "Briefing by Press Secretary Sarah Sands", body))
    assert sorted(
        Participant.objects.filter(name__endswith="Sands").values_list("name", flat=True)
    ) == [
        "Sarah Sands",
        "Symone Sands",
    ]
    assert len(speaker_turns("Sarah Sands")) == 2


def test_an_initial_and_surname_is_the_one_full_name_that_fits():
    full = "Vladimir Putin: Good afternoon.\n\nAnna Smith: A question.\n\nVladimir Putin: Yes."
    transcript_import(data=briefing("June 6, 2019", "Meeting with journalists", full))
    short = "V. Putin: Good afternoon.\n\nAnna Smith: A question.\n\nV. Putin: Yes."
    result = transcript_import(data=briefing("June 7, 2019", "Another meeting", short))
    assert result.matched["V. Putin"] == "vladimir-putin"
    glued = short.replace("V. Putin:", "V.Putin:")
    result = transcript_import(data=briefing("June 8, 2019", "A third meeting", glued))
    assert result.matched["V. Putin"] == "vladimir-putin"
    assert Participant.objects.get(slug="vladimir-putin").turns.count() == 6


def test_the_shipped_office_table_loads_and_resolves_a_white_house_label():
    call_command("load_fixtures", OFFICES_FIXTURE, verbosity=0)
    before = (Office.objects.count(), OfficeHolder.objects.count())
    call_command("load_fixtures", OFFICES_FIXTURE, verbosity=0)
    assert (Office.objects.count(), OfficeHolder.objects.count()) == before
    assert before[1] > 20
    transcript_import(data=briefing("July 14, 2021", "Remarks by the President", PRESIDENT))
    transcript_import(data=briefing("February 16, 2025", "Remarks by the President", PRESIDENT))
    assert Participant.objects.get(slug="joe-biden").turns.count() == 2
    assert Participant.objects.get(slug="donald-trump").turns.count() == 2


def test_an_editors_change_to_the_office_table_is_kept_on_reload():
    call_command("load_fixtures", OFFICES_FIXTURE, verbosity=0)
    holder = OfficeHolder.objects.get(
        office__slug="white-house-press-secretary", person="Jen Psaki"
    )
    holder.end = dt.date(2022, 5, 13)
    holder.save()
    Correction.objects.create(model="interviews.officeholder", object_id=holder.pk, field="end")
    call_command("load_fixtures", OFFICES_FIXTURE, verbosity=0)
    holder.refresh_from_db()
    assert holder.end == dt.date(2022, 5, 13)


def test_office_table_is_what_the_parser_reads(freedonia):
    terms = office_table()
    assert [(t.person, t.start, t.end) for t in terms] == [
        ("Rufus Firefly", dt.date(2020, 1, 1), dt.date(2024, 1, 1)),
        ("Gloria Teasdale", dt.date(2024, 1, 1), None),
    ]
    assert terms[0].labels == ("The President",)


def test_parse_transcript_resolves_with_the_database_table(freedonia, tmp_path):
    source = tmp_path / "bridge.txt"
    source.write_bytes(briefing("March 1, 2022", "Remarks at a Bridge", PRESIDENT))
    output = tmp_path / "bridge.json"
    call_command("parse_transcript", str(source), "-o", str(output), verbosity=0)
    text = output.read_text(encoding="utf-8")
    assert '"slug": "rufus-firefly"' in text
    assert '"slug": "moderator--2022-03-01-remarks-at-a-bridge"' in text


def test_holder_slugs_are_unique_within_an_office(freedonia):
    again = OfficeHolder.objects.create(
        office=freedonia, person="Rufus Firefly", start=dt.date(2020, 5, 1)
    )
    assert again.slug == "rufus-firefly-2020-2"
    assert Alias.objects.count() == 0


def test_parse_transcript_without_a_database_says_so_and_still_writes(tmp_path):
    from .conftest import run_python

    source = tmp_path / "bridge.txt"
    source.write_bytes(briefing("March 1, 2022", "Remarks at a Bridge", PRESIDENT))
    output = tmp_path / "bridge.json"
    result = run_python(
        "manage.py",
        "parse_transcript",
        str(source),
        "-o",
        str(output),
        environment={"DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere"},
    )
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "office table" in line]
    assert line.startswith(f"{source}: no office table (")
    assert '"slug": "the-president--2022-03-01-remarks-at-a-bridge"' in output.read_text()
