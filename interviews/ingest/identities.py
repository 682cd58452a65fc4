"""Resolving the speakers of events already in the database again, with today's rules.

An archive imported before speakers were resolved to people (or before an office was added
to the table) holds participants that are labels: "The President" with two presidents'
turns, "Psaki" beside "Jen Psaki". identities_resolve() rebuilds each event's transcript
from its stored turns (labels as printed, texts, title, lead, date), resolves its speakers
as an import would, and loads the result through the import's own path, so that editors'
corrections win exactly as on a re-import (a corrected speaker stays; the turns of an
event an editor split or joined stay as they are). Participants left without turns are
deleted; their slug redirects to the one participant that took their turns, if one did.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db import transaction

from ..editing.services import alias_add
from ..models import (
    Appearance,
    Correction,
    Event,
    Participant,
    ParticipantRedirect,
    ParticipantSplit,
    Turn,
)
from ..parsing import OutletRef, ParsedTranscript, Speaker
from ..parsing import Turn as ParsedTurn
from ..parsing.identity import resolve_speakers
from ..parsing.labels import parse_label
from ..parsing.model import Label
from ..parsing.people import fullness, introductions, transcript_context
from ..parsing.text import name_key
from .fixtures import PER_EVENT
from .imports import office_table, transcript_import


@dataclass
class Resolution:
    """What resolving the events again changed."""

    events: int = 0
    turns_moved: int = 0
    kept: int = 0  # corrected records the import path kept
    merged: list[tuple[str, str, int]] = field(default_factory=list)  # old slug, into, turns
    split: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    skipped: int = 0  # events whose turns an editor split or joined


def identities_resolve(*, events=None) -> Resolution:
    """Resolve the speakers of these events (default: all) again; see the module docstring.

    Each event is resolved in a transaction of its own, in date order (as a batch import
    loads them); the caller may wrap the whole in one (a dry run rolls it back).
    """
    events = list((events if events is not None else Event.objects.all()).order_by("date", "pk"))
    offices = office_table()
    spoken = Turn.objects.filter(event__in=events).exclude(speaker=None)
    before = dict(spoken.values_list("pk", "speaker_id"))
    existing = set(Participant.objects.values_list("pk", flat=True))
    # An event whose turns an editor split or joined keeps them as they are (as on a
    # re-import): there is nothing to resolve in it.
    structured = set(
        Correction.objects.filter(
            model="interviews.event",
            field=Correction.STRUCTURE,
            object_id__in=[e.pk for e in events],
        ).values_list("object_id", flat=True)
    )
    events = [event for event in events if event.pk not in structured]
    result = Resolution(events=len(events), skipped=len(structured))
    for event in events:
        result.kept += _resolve_event(event, offices)
    # A person printed by surname in events before the one that named them in full is
    # known by the full name only now: those events once more.
    named_now = {
        name_key(name).split()[-1]
        for name in Participant.objects.exclude(pk__in=existing).values_list("name", flat=True)
        if fullness(name) == 2
    }
    weak = {
        pk
        for pk, name in Participant.objects.filter(turns__event__in=events, is_anonymous=False)
        .exclude(slug__contains=PER_EVENT)
        .distinct()
        .values_list("pk", "name")
        if fullness(name) == 0
        and name_key(name).split()[-1:]
        and name_key(name).split()[-1] in named_now
    }
    again = Turn.objects.filter(speaker__in=weak).values_list("event_id", flat=True).distinct()
    for event in [event for event in events if event.pk in set(again)]:
        _resolve_event(event, offices)  # its kept corrections were counted the first time
    after = dict(Turn.objects.filter(pk__in=list(before)).values_list("pk", "speaker_id"))
    moves: dict[int, Counter] = defaultdict(Counter)
    for turn_id, old in before.items():
        moves[old][after.get(turn_id)] += 1
    slugs = dict(Participant.objects.values_list("pk", "slug"))
    result.created = sorted(slugs[pk] for pk in set(slugs) - existing)
    with transaction.atomic():
        for old, targets in sorted(moves.items()):
            moved = {new: count for new, count in targets.items() if new != old and new}
            result.turns_moved += sum(moved.values())
            if not moved:
                continue
            old_slug = _slug_of(old)
            if len(targets) > 1:
                result.split.append(
                    (old_slug, [(slugs.get(new, "?"), n) for new, n in targets.most_common()])
                )
            _retire(old, moved, result, old_slug, slugs)
    return result


def _resolve_event(event: Event, offices) -> int:
    """Resolve one event's speakers again; returns the corrected records kept."""
    with transaction.atomic():
        # Answers linked to a question of another event (a fixture can make them) keep it.
        elsewhere = dict(
            event.turns.exclude(in_reply_to=None)
            .exclude(in_reply_to__event=event)
            .values_list("pk", "in_reply_to_id")
        )
        parsed, known = _stored_transcript(event, offices)
        outcome = transcript_import(parsed=parsed, event_slug=event.slug, force=True, known=known)
        for turn_id, question_id in elsewhere.items():
            Turn.objects.filter(pk=turn_id).update(in_reply_to_id=question_id)
    return outcome.kept


def _slug_of(pk: int) -> str:
    found = Participant.objects.filter(pk=pk).values_list("slug", flat=True).first()
    return (
        found
        or ParticipantRedirect.objects.filter(participant_id=pk)
        .values_list("slug", flat=True)
        .first()
        or str(pk)
    )


def _retire(old: int, moved: dict[int, int], result: Resolution, old_slug: str, slugs) -> None:
    """A participant whose turns all went elsewhere: deleted, its slug redirected when one
    participant took them all. Kept if it still has turns or an editor corrected it."""
    participant = Participant.objects.filter(pk=old).first()
    if participant is None or participant.turns.exists():
        return
    if Correction.objects.filter(model="interviews.participant", object_id=old).exists():
        return
    appearances = list(participant.appearances.values_list("pk", flat=True))
    if Correction.objects.filter(model="interviews.appearance", object_id__in=appearances).exists():
        return  # an editor's appearance of theirs (a role, an outlet) stays theirs
    if len(moved) == 1:
        ((survivor_id, count),) = moved.items()
        survivor = Participant.objects.get(pk=survivor_id)
        for alias in participant.aliases.all():
            alias_add(participant=survivor, name=alias.name)
        alias_add(participant=survivor, name=participant.name)
        ParticipantRedirect.objects.filter(participant=participant).update(participant=survivor)
        ParticipantRedirect.objects.get_or_create(slug=participant.slug, participant=survivor)
        ParticipantSplit.objects.filter(participant=participant).update(participant=survivor)
        result.merged.append((old_slug, slugs.get(survivor_id, survivor.slug), count))
    participant.appearances.all().delete()
    participant.delete()


def _stored_transcript(event: Event, offices) -> tuple[ParsedTranscript, dict[str, str]]:
    """The event as the parser would have given it, speakers resolved with today's rules;
    and the slugs of the speakers of turns no label names (they keep their participant)."""
    turns = list(event.turns.order_by("sequence").select_related("in_reply_to"))
    appearances = {
        appearance.participant_id: appearance
        for appearance in event.appearances.prefetch_related("outlets")
    }
    labels: list[Label | None] = [
        parse_label(turn.speaker_label) if turn.speaker_id and turn.speaker_label else None
        for turn in turns
    ]
    known = frozenset(
        key
        for label in labels
        if label and not label.anonymous
        for key in {name_key(label.name), name_key(label.name).split()[-1]}
        if key
    )
    labels = [
        label or (parse_label(turn.speaker_label, known) if turn.speaker_label else None)
        for label, turn in zip(labels, turns, strict=True)
    ]
    openers = [
        index
        for index, (label, turn) in enumerate(zip(labels, turns, strict=True))
        if label is not None and turn.speaker_id
    ]
    context = transcript_context(
        event.title, event.date, [(turn.kind, turn.text) for turn in turns], offices
    )
    texts = introductions([turn.text for turn in turns], openers)
    keys, speakers, _ = resolve_speakers(
        [(_with_outlets(labels[i], appearances.get(turns[i].speaker_id)), turns[i].line_start)
         for i in openers],
        event.title,
        context,
        texts,
    )  # fmt: skip
    key_of_turn = dict(zip(openers, keys, strict=True))
    # A turn without a label of its own (speech resumed after a stage direction) goes with
    # the last labelled turn of the same speaker; one an editor gave a speaker keeps them.
    by_old_speaker: dict[int, str] = {}
    kept: dict[int, str] = {}
    parsed_turns = []
    for index, turn in enumerate(turns):
        key = key_of_turn.get(index)
        if key is not None:
            by_old_speaker[turn.speaker_id] = key
        elif turn.speaker_id:
            key = by_old_speaker.get(turn.speaker_id) or kept.setdefault(
                turn.speaker_id, f"participant:{turn.speaker_id}"
            )
        parsed_turns.append(
            ParsedTurn(
                sequence=turn.sequence,
                kind=turn.kind,
                text=turn.text,
                speaker=key,
                speaker_label=turn.speaker_label,
                attribution=turn.attribution,
                line_start=turn.line_start,
                line_end=turn.line_end,
                offset=turn.offset,
                in_reply_to=(
                    turn.in_reply_to.sequence
                    if turn.in_reply_to and turn.in_reply_to.event_id == event.pk
                    else None
                ),
            )
        )
    participants = Participant.objects.in_bulk(list(kept))
    speakers = list(speakers) + [
        Speaker(
            key=key, name=participants[pk].name, label="", anonymous=participants[pk].is_anonymous
        )
        for pk, key in kept.items()
    ]
    parsed = ParsedTranscript(
        title=event.title,
        date=event.date,
        time=event.time,
        location=event.location,
        summary=event.summary,
        source_sha256=event.source_sha256,
        source_name=event.source_name,
        turns=tuple(parsed_turns),
        speakers=tuple(speakers),
    )
    return parsed, {key: participants[pk].slug for pk, key in kept.items()}


def _with_outlets(label: Label, appearance: Appearance | None) -> Label:
    """The stored appearance's outlets and role stand in for what the label printed."""
    if appearance is None:
        return label
    outlets = (
        tuple(
            OutletRef(outlet.name, outlet.kind, slug=outlet.slug)
            for outlet in appearance.outlets.all()
        )
        or label.outlets
    )
    return replace(label, role=label.role or appearance.role, outlets=outlets)
