"""The admin's lists built to stay fast at a million turns (bench/admin.py measures them):
index-backed search, autocomplete filters, counts that do not read every row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.editing import paginators
from interviews.editing.paginators import EstimatedCountPaginator
from interviews.models import Participant, Turn

TURNS = "/admin/interviews/turn/"


@pytest.fixture
def editor(admin_client, seed):
    return admin_client


def test_turn_search_is_full_text_with_the_apis_syntax(editor):
    """Stemmed words, phrases and exclusions, as `q` in the API (icontains found none of
    these: the text says "vaccine", once, beside "nationalism")."""
    for query, count in [
        ("vaccines", Turn.objects.filter(text__icontains="vaccine").count()),
        ('"vaccine nationalism"', 1),
        ("vaccine -nationalism", Turn.objects.filter(text__icontains="vaccine").count() - 1),
    ]:
        response = editor.get(TURNS, {"q": query})
        assert response.context["cl"].result_count == count, query
    sql = " ".join(q["sql"] for q in _queries(editor, TURNS, {"q": "vaccines"}))
    assert "websearch_to_tsquery" in sql and "LIKE" not in sql.upper()


def test_speaker_and_event_filters_are_autocompletes_not_lists(editor, seed):
    gusman = Participant.objects.get(slug="mikhail-gusman")
    page = editor.get(TURNS, {"speaker__id__exact": gusman.pk})
    assert page.context["cl"].result_count == 16
    html = page.content.decode()
    # One select per filter, asking the admin's autocomplete; the chosen one shown.
    assert html.count('class="interviews-autocomplete-filter admin-autocomplete"') == 2
    assert 'data-parameter="speaker__id__exact"' in html
    assert f'<option value="{gusman.pk}" selected>Mikhail Gusman</option>' in html
    # No link per participant: another speaker's name appears nowhere in the sidebar.
    sidebar = html.split('id="changelist-filter"')[1].split("</nav>")[0]
    assert "Vladislav Fronin" not in sidebar
    assert "interviews/autocomplete_filter.js" in html
    by_event = editor.get(TURNS, {"event__id__exact": seed.pk})
    assert by_event.context["cl"].result_count == 87


def test_reading_the_filters_reads_no_turns(editor):
    """RelatedOnlyFieldListFilter read every turn for the speakers in use, per page; facets
    ("Show counts") counted them per choice."""
    sql = [q["sql"] for q in _queries(editor, TURNS, {})]
    assert not any("DISTINCT" in statement and "interviews_turn" in statement for statement in sql)
    assert "_facets" not in editor.get(TURNS).content.decode()
    counted = [q["sql"] for q in _queries(editor, TURNS, {"_facets": "True"})]
    assert not any("FILTER (WHERE" in statement.upper() for statement in counted)  # facets


def test_counts_are_estimated_only_for_long_lists(editor, monkeypatch):
    queryset = Turn.objects.order_by("pk")
    exact = EstimatedCountPaginator(queryset, 100)
    with CaptureQueriesContext(connection) as counted:
        assert exact.count == 87
    assert any("COUNT(" in q["sql"].upper() for q in counted.captured_queries)
    monkeypatch.setattr(paginators, "EXACT_BELOW", 1)
    estimated = EstimatedCountPaginator(queryset, 100)
    with CaptureQueriesContext(connection) as planned:
        guess = estimated.count
    assert guess >= 1 and not any("COUNT(" in q["sql"].upper() for q in planned.captured_queries)
    assert [q["sql"].startswith("EXPLAIN") for q in planned.captured_queries] == [True]


def test_participant_list_counts_turns_and_searches_by_trigram(editor):
    page = editor.get("/admin/interviews/participant/", {"q": "gusm"})
    [gusman] = page.context["cl"].result_list
    assert gusman.slug == "mikhail-gusman" and gusman.number_of_turns == 16
    by_alias = editor.get("/admin/interviews/participant/", {"q": "Mikhaylov"})
    assert [p.slug for p in by_alias.context["cl"].result_list] == ["sergei-mikhailov"]
    sql = " ".join(
        q["sql"] for q in _queries(editor, "/admin/interviews/participant/", {"q": "gusm"})
    )
    assert "name_key" in sql and "GROUP BY" not in sql.upper().split("LIMIT")[0]


def _queries(client, path, data):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, data).status_code == 200
    return captured.captured_queries


def test_a_page_past_a_low_estimate_is_still_served(editor, monkeypatch):
    """The planner may guess fewer rows than there are: the pages past its guess are
    asked of the database, not refused (the admin would drop the editor's filters)."""
    monkeypatch.setattr(paginators, "EXACT_BELOW", 1)
    paginator = EstimatedCountPaginator(Turn.objects.order_by("pk"), 10)
    monkeypatch.setattr(EstimatedCountPaginator, "count", 20)  # a guess, low: 87 rows
    paginator.estimated = True
    assert [turn.sequence for turn in paginator.page(5)] == list(range(41, 51))
    assert list(paginator.page(20)) == []
