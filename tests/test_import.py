"""import_transcripts: batches, idempotence, identity across transcripts, failures, progress."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from interviews.editing import services
from interviews.ingest.imports import IMPORTED, UNCHANGED, transcript_import
from interviews.models import Alias, Event, Participant, Turn

from .conftest import SEED_TRANSCRIPT

SECOND = """Ilham Aliyev received a delegation

1 March 2023, 11:00

President Ilham Aliyev received a delegation of journalists.

President Ilham Aliyev: Welcome to Baku. I am glad to see you.

Journalist: Thank you for the invitation. What are your plans?

Ilham Aliyev: We will build more roads.
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args, **options):
    return call_command("import_transcripts", *map(str, args), **options)


@pytest.fixture
def second(tmp_path):
    return write(tmp_path, "second.txt", SECOND)


@pytest.mark.django_db
def test_import_then_again_changes_nothing(tmp_path, second, capsys):
    run(SEED_TRANSCRIPT, second, progress="never")
    first = capsys.readouterr().out
    assert "2 imported (" in first and "0 failed" in first
    counts = (Event.objects.count(), Participant.objects.count(), Turn.objects.count())
    run(SEED_TRANSCRIPT, second, progress="never")
    assert "0 imported (0 turns), 2 unchanged" in capsys.readouterr().out
    assert (Event.objects.count(), Participant.objects.count(), Turn.objects.count()) == counts


@pytest.mark.django_db
def test_a_person_named_again_is_one_participant(second):
    transcript_import(data=SEED_TRANSCRIPT.read_bytes(), source_name="seed.txt")
    result = transcript_import(data=second.read_bytes(), source_name="second.txt")
    assert result.status == IMPORTED
    aliyev = Participant.objects.get(slug="ilham-aliyev")
    assert aliyev.events.count() == 2
    assert Participant.objects.filter(name="Ilham Aliyev").count() == 1
    # Anonymous classes stay per event.
    assert Participant.objects.filter(name="Journalist").count() == 2


@pytest.mark.django_db
def test_an_alias_added_by_an_editor_attaches_the_new_spelling(tmp_path):
    transcript_import(data=SEED_TRANSCRIPT.read_bytes(), source_name="seed.txt")
    aliyev = Participant.objects.get(slug="ilham-aliyev")
    Alias.objects.create(participant=aliyev, name="Ilkham Aliyev")
    text = SECOND.replace("President Ilham Aliyev:", "Ilkham Aliyev:").replace(
        "Ilham Aliyev:", "Ilkham Aliyev:"
    )
    result = transcript_import(data=text.encode(), source_name="third.txt")
    assert result.matched == {"Ilkham Aliyev": "ilham-aliyev"}
    assert not Participant.objects.filter(slug="ilkham-aliyev").exists()
    event = Event.objects.get(slug=result.event_slug)
    assert event.turns.filter(speaker=aliyev).count() == 2
    aliyev.refresh_from_db()
    assert aliyev.name == "Ilham Aliyev"  # a new spelling does not rename anyone


@pytest.mark.django_db
def test_a_merged_participant_is_found_by_the_survivor(tmp_path):
    transcript_import(data=SEED_TRANSCRIPT.read_bytes(), source_name="seed.txt")
    gusman = Participant.objects.get(slug="mikhail-gusman")
    services.participant_merge(
        survivor=gusman, others=[Participant.objects.get(slug="mikhail-petrov")]
    )
    text = "Talk\n\n2 March 2023\n\nMikhail Petrov: Hello.\n\nMikhail Gusman: Hi.\n"
    result = transcript_import(data=text.encode(), source_name="talk.txt")
    assert set(result.matched.values()) == {"mikhail-gusman"}
    assert not Participant.objects.filter(slug="mikhail-petrov").exists()
    assert Event.objects.get(slug=result.event_slug).turns.filter(speaker=gusman).count() == 2


@pytest.mark.django_db
def test_corrections_are_kept_and_counted(capsys):
    run(SEED_TRANSCRIPT, progress="never")
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    services.turn_reassign(turns=[turn], speaker=Participant.objects.get(slug="mikhail-gusman"))
    capsys.readouterr()
    run(SEED_TRANSCRIPT, progress="never", force=True)
    assert "1 corrected records kept" in capsys.readouterr().out
    turn.refresh_from_db()
    assert turn.speaker.slug == "mikhail-gusman"


@pytest.mark.django_db
def test_failures_are_listed_and_the_rest_imported(tmp_path, second, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not utf-8")
    empty = write(tmp_path, "empty.txt", "")
    with pytest.raises(CommandError, match="3 of 5 transcripts failed"):
        run(tmp_path, SEED_TRANSCRIPT, tmp_path / "missing.txt", progress="never")
    captured = capsys.readouterr()
    assert "2 imported" in captured.out
    assert f"{bad}: " in captured.err and f"{empty}: the file is empty" in captured.err
    assert "missing.txt: no such file or folder" in captured.err
    assert Event.objects.count() == 2


@pytest.mark.django_db
def test_fixtures_are_written_on_request_into_a_folder_made_for_them(tmp_path, second):
    out = tmp_path / "out" / "fixtures"  # neither exists yet
    run(second, fixtures_dir=out, progress="never")
    assert (out / "second.json").read_text(encoding="utf-8").startswith("[\n  {")


@pytest.mark.django_db
def test_a_file_where_the_fixtures_folder_should_be_is_one_line(tmp_path, second):
    taken = write(tmp_path, "out", "a file")
    with pytest.raises(CommandError, match="out: not a folder, for --fixtures-dir"):
        run(second, fixtures_dir=taken, progress="never")
    assert taken.read_text() == "a file" and not Event.objects.exists()


@pytest.mark.django_db
def test_no_progress_bar_in_a_pipe(second, capsys):
    run(second)  # progress=auto: stderr is not a terminal under pytest
    assert "file/s" not in capsys.readouterr().err
    run(second, progress="always", force=True)
    assert "file" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_transcript_make_one_event():
    data = SEED_TRANSCRIPT.read_bytes()
    results, errors = [], []

    def worker():
        try:
            results.append(transcript_import(data=data, source_name="seed.txt").status)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(results) == [IMPORTED, UNCHANGED]
    assert Event.objects.count() == 1
    assert Turn.objects.count() == 87


def test_parsing_ahead_gives_the_same_results_in_order(tmp_path, second):
    """Worker processes parse the next files; results (and failures) come back in order."""
    from interviews.parsing.ahead import parsed_files

    paths = [
        SEED_TRANSCRIPT,
        write(tmp_path, "empty.txt", ""),
        second,
        tmp_path / "missing.txt",
        write(tmp_path, "binary.txt", "\x00\x01\x02 not text"),
    ]
    inline = list(parsed_files(paths, workers=0))
    ahead = list(parsed_files(paths, workers=2, ahead=2))
    assert [item.path for item in ahead] == paths
    assert ahead == inline
    assert [bool(item.transcript) for item in ahead] == [True, False, True, False, False]
    assert ahead[3].unreadable and ahead[1].error and ahead[4].error


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [0, 1])
def test_a_batch_imports_alike_with_or_without_a_parse_worker(tmp_path, second, capsys, workers):
    bad = write(tmp_path, "bad.txt", "no speakers here at all\n")
    with pytest.raises(CommandError, match="1 of 3 transcripts failed"):
        run(SEED_TRANSCRIPT, bad, second, progress="never", parse_workers=workers)
    captured = capsys.readouterr()
    assert "2 imported (" in captured.out and "1 failed" in captured.out
    assert "bad.txt: no speaker turns found" in captured.err
    assert Event.objects.count() == 2
    assert Participant.objects.filter(slug="ilham-aliyev").count() == 1


@pytest.mark.django_db
def test_a_batch_commits_without_waiting_then_flushes_once(second, capsys):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run(SEED_TRANSCRIPT, second, progress="never", parse_workers=0)
    sql = [query["sql"] for query in queries.captured_queries]
    unwaited = [i for i, s in enumerate(sql) if "set_config('synchronous_commit', 'off'" in s]
    flushes = [i for i, s in enumerate(sql) if "pg_current_xact_id()" in s]
    assert len(unwaited) == 2  # one per transcript's transaction
    assert len(flushes) == 1 and flushes[0] > unwaited[-1]  # after the last transcript
    assert "2 imported (" in capsys.readouterr().out

    with CaptureQueriesContext(connection) as queries:
        run(SEED_TRANSCRIPT, second, progress="never", parse_workers=0)
    assert not any("pg_current_xact_id" in q["sql"] for q in queries.captured_queries)
    assert "0 imported (0 turns), 2 unchanged" in capsys.readouterr().out  # nothing to flush


@pytest.mark.django_db
def test_one_transcript_alone_commits_durably(second):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert transcript_import(data=second.read_bytes(), source_name="x.txt").status == IMPORTED
    assert not any("synchronous_commit" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_batch_whose_flush_fails_says_so(second, monkeypatch, capsys):
    from django.db import OperationalError

    from interviews.management.commands import import_transcripts

    def down():
        raise OperationalError("server closed the connection unexpectedly\nmore")

    monkeypatch.setattr(import_transcripts, "flush_commits", down)
    with pytest.raises(CommandError, match=r"may not be on disk \(server closed the connection"):
        run(second, progress="never")
