"""Editorial writes: reassign, mark narrative, merge, split, join. Each is atomic and recorded.

Every function records what it changed as Corrections, so that re-importing
the transcript keeps the editor's version (see interviews.ingest.loading), and
saves through the ORM so django-simple-history keeps who/when/what.
"""

from django.db import transaction
from django.db.models import F, Max

from ..models import (
    Alias,
    Appearance,
    Correction,
    Outlet,
    OutletAlias,
    Participant,
    ParticipantRedirect,
    ParticipantSplit,
    Turn,
)
from ..parsing import name_key, slugify


class EditError(ValueError):
    """An editorial action that cannot be carried out as asked; nothing was changed."""


def correction_record(*, instance, fields, user=None) -> None:
    """Remember that an editor set these fields of this row."""
    label = instance._meta.label_lower
    for field in fields:
        Correction.objects.get_or_create(
            model=label, object_id=instance.pk, field=field, defaults={"user": user}
        )


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _ensure_appearance(event_id, participant):
    Appearance.objects.get_or_create(event_id=event_id, participant=participant)


@transaction.atomic
def turn_reassign(*, turns, speaker: Participant, user=None) -> int:
    """Give the turns to another speaker (who then appears at their events)."""
    if speaker is None:
        raise EditError("Choose the participant to give the turns to.")
    count = 0
    for turn in turns:
        if turn.speaker_id == speaker.pk:
            continue
        turn.speaker = speaker
        if turn.kind == Turn.Kind.NARRATIVE:
            turn.kind = Turn.Kind.SPEECH
        turn.save()
        _ensure_appearance(turn.event_id, speaker)
        correction_record(instance=turn, fields=["speaker", "kind"], user=_user(user))
        count += 1
    return count


@transaction.atomic
def turn_mark_narrative(*, turns, user=None) -> int:
    """Narration, not speech: no speaker, kind narrative, no question/answer links."""
    count = 0
    for turn in turns:
        if turn.kind == Turn.Kind.NARRATIVE and turn.speaker_id is None:
            continue
        turn.kind = Turn.Kind.NARRATIVE
        turn.speaker = None
        turn.in_reply_to = None
        turn.save()
        turn.replies.update(in_reply_to=None)
        correction_record(
            instance=turn, fields=["speaker", "kind", "in_reply_to"], user=_user(user)
        )
        count += 1
    return count


@transaction.atomic
def participant_merge(*, survivor: Participant, others, user=None) -> int:
    """Move the others' turns, appearances and aliases to survivor; their names become aliases.

    The merged rows are deleted; their slugs redirect to the survivor, so old
    links, filters and re-imported fixtures all reach it.
    """
    others = [other for other in others]
    if not others:
        raise EditError("Select at least one participant to merge into the survivor.")
    if any(other.pk == survivor.pk for other in others):
        raise EditError(f"{survivor} cannot be merged into itself.")
    user = _user(user)
    for other in others:
        for turn in other.turns.all():
            turn.speaker = survivor
            turn.save()
        for appearance in other.appearances.prefetch_related("outlets"):
            kept = _move_appearance(appearance, survivor)
            correction_record(instance=kept, fields=["role", "outlets", "label"], user=user)
        for alias in other.aliases.all():
            alias_add(participant=survivor, name=alias.name)
            alias.delete()
        alias_add(participant=survivor, name=other.name)
        ParticipantRedirect.objects.filter(participant=other).update(participant=survivor)
        ParticipantRedirect.objects.get_or_create(slug=other.slug, participant=survivor)
        ParticipantSplit.objects.filter(participant=other).update(participant=survivor)
        Correction.objects.filter(model="interviews.participant", object_id=other.pk).delete()
        other.delete()
    correction_record(instance=survivor, fields=["name"], user=user)
    return len(others)


@transaction.atomic
def participant_split(
    *, participant: Participant, events, name: str = "", into: Participant | None = None, user=None
) -> Participant:
    """Undo a wrong merge: the participant's turns and appearances at these events move to
    `into`, or to a new participant named `name` (default: the same name).

    Each moved turn's speaker is recorded as a correction, and the split itself per event
    (ParticipantSplit), so re-importing or re-resolving those events keeps it.
    """
    events = list(events)
    if not events:
        raise EditError("Choose the events whose turns go to the other participant.")
    own = set(participant.appearances.values_list("event_id", flat=True))
    foreign = [event for event in events if event.pk not in own]
    if foreign:
        raise EditError(f"{participant} does not appear at {foreign[0]}.")
    if into is not None and into.pk == participant.pk:
        raise EditError(f"{participant} cannot be split into itself.")
    if into is None and len(own) == len(events):
        raise EditError(f"{participant} appears only at these events: there is nothing to split.")
    user = _user(user)
    if into is None:
        name = " ".join(name.split()) or participant.name
        into = Participant(name=name, slug=_free_slug(name), is_anonymous=participant.is_anonymous)
        into.save()
    for event in events:
        for turn in participant.turns.filter(event=event):
            turn.speaker = into
            turn.save()
            correction_record(instance=turn, fields=["speaker"], user=user)
        _move_appearance(Appearance.objects.get(event=event, participant=participant), into)
        ParticipantSplit.objects.update_or_create(
            event=event, slug=participant.slug, defaults={"participant": into}
        )
    return into


def _free_slug(name: str) -> str:
    base = slugify(name) or "participant"
    slug, number = base, 2
    while (
        Participant.objects.filter(slug=slug).exists()
        or ParticipantRedirect.objects.filter(slug=slug).exists()
    ):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _move_appearance(appearance: Appearance, participant: Participant) -> Appearance:
    """The appearance becomes the participant's; joined with theirs at that event if any."""
    kept = Appearance.objects.filter(event_id=appearance.event_id, participant=participant).first()
    if kept is None:
        appearance.participant = participant
        appearance.save()
        return appearance
    kept.role = kept.role or appearance.role
    kept.label = kept.label or appearance.label
    kept.save()
    kept.outlets.add(*appearance.outlets.all())
    appearance.delete()
    return kept


def alias_add(*, participant: Participant, name: str) -> None:
    """Keep another spelling of the participant's name findable (no-op for the name itself)."""
    if name and name_key(name) != name_key(participant.name):
        Alias.objects.get_or_create(participant=participant, name=name)


@transaction.atomic
def outlet_merge(*, survivor: Outlet, others, user=None) -> int:
    """Appearances for the others become appearances for survivor; names and slugs redirect."""
    others = [other for other in others]
    if not others:
        raise EditError("Select at least one outlet to merge into the survivor.")
    if any(other.pk == survivor.pk for other in others):
        raise EditError(f"{survivor} cannot be merged into itself.")
    for other in others:
        for appearance in other.appearances.all():
            appearance.outlets.remove(other)
            appearance.outlets.add(survivor)
            correction_record(instance=appearance, fields=["outlets"], user=_user(user))
        OutletAlias.objects.filter(outlet=other).update(outlet=survivor)
        OutletAlias.objects.update_or_create(
            slug=other.slug, defaults={"outlet": survivor, "name": other.name}
        )
        Correction.objects.filter(model="interviews.outlet", object_id=other.pk).delete()
        other.delete()
    correction_record(instance=survivor, fields=["name", "kind"], user=_user(user))
    return len(others)


def _paragraphs(turn):
    return turn.text.split("\n\n")


def _shift(event_id, after_sequence, by):
    """Move the turns after a point by `by` places without breaking (event, sequence) unique."""
    later = Turn.objects.filter(event_id=event_id, sequence__gt=after_sequence)
    top = Turn.objects.filter(event_id=event_id).aggregate(top=Max("sequence"))["top"] or 0
    # Two steps: out of the way above the current maximum, then back into place.
    later.update(sequence=F("sequence") + top + abs(by))
    Turn.objects.filter(event_id=event_id, sequence__gt=top).update(
        sequence=F("sequence") - top - abs(by) + by
    )


@transaction.atomic
def turn_split(*, turn: Turn, before_paragraph: int, speaker=None, user=None) -> Turn:
    """Split a turn the parser wrongly joined: paragraphs from `before_paragraph` (1-based,
    at least 2) become a new turn right after it, by `speaker` (default: the same)."""
    turn = Turn.objects.select_for_update().get(pk=turn.pk)
    paragraphs = _paragraphs(turn)
    if len(paragraphs) < 2:
        raise EditError(f"Turn {turn.sequence} has a single paragraph: nothing to split.")
    if not 2 <= before_paragraph <= len(paragraphs):
        raise EditError(
            f"Turn {turn.sequence} has {len(paragraphs)} paragraphs: split before "
            f"paragraph 2 to {len(paragraphs)}, not {before_paragraph}."
        )
    _shift(turn.event_id, turn.sequence, 1)
    new_speaker = speaker or turn.speaker
    new = Turn(
        event_id=turn.event_id,
        sequence=turn.sequence + 1,
        speaker=new_speaker,
        speaker_label="" if new_speaker != turn.speaker else turn.speaker_label,
        kind=turn.kind if new_speaker == turn.speaker else Turn.Kind.SPEECH,
        text="\n\n".join(paragraphs[before_paragraph - 1 :]),
        line_start=turn.line_start,
        line_end=turn.line_end,
    )
    turn.text = "\n\n".join(paragraphs[: before_paragraph - 1])
    turn.save()
    new.save()
    if new_speaker is not None:
        _ensure_appearance(turn.event_id, new_speaker)
    correction_record(instance=turn.event, fields=[Correction.STRUCTURE], user=_user(user))
    return new


@transaction.atomic
def turn_join(*, turns, user=None) -> Turn:
    """Join consecutive turns of one event the parser wrongly split, into the first."""
    turns = sorted(turns, key=lambda t: (t.event_id, t.sequence))
    if len(turns) < 2:
        raise EditError("Select at least two consecutive turns to join.")
    if len({turn.event_id for turn in turns}) > 1:
        raise EditError("Only turns of the same event can be joined.")
    sequences = [turn.sequence for turn in turns]
    if sequences != list(range(sequences[0], sequences[0] + len(sequences))):
        raise EditError(f"Turns {sequences} are not consecutive; select neighbours only.")
    first, rest = turns[0], turns[1:]
    first.text = "\n\n".join(turn.text for turn in turns)
    first.line_end = max(turn.line_end for turn in turns)
    Turn.objects.filter(in_reply_to__in=rest).update(in_reply_to=first)
    for turn in rest:
        turn.delete()
    first.save()
    _shift(first.event_id, sequences[-1], -len(rest))
    correction_record(instance=first.event, fields=[Correction.STRUCTURE], user=_user(user))
    return first
