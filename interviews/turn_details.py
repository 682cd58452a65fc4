"""What a page of turns shows besides the turn rows: replies, the speaker's role and outlets.

On PostgreSQL they are columns of the turn query itself (with_turn_details): one
round trip for the page. Elsewhere a fixed number of queries per page whatever its
size (one for the replies, one for the appearances, one for their outlets), read as
plain values: Django's prefetch_related builds a filtered queryset per row, which
costs more than the query itself on a page of 50.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject

from .models import Appearance, Outlet, Turn


@dataclass(frozen=True, slots=True)
class OutletRef:
    slug: str
    name: str


@dataclass(slots=True)
class SpeakerAppearance:
    """The speaker's role and outlets at the turn's event (Turn.appearance, read-only)."""

    role: str
    outlet_refs: list[OutletRef] = field(default_factory=list)


def appearance_outlets(appearance) -> list:
    """The outlets of an Appearance or a SpeakerAppearance, by name (objects with slug, name)."""
    if isinstance(appearance, SpeakerAppearance):
        return appearance.outlet_refs
    return list(appearance.outlets.all())


def with_turn_details(queryset):
    """On PostgreSQL: the replies, role and outlets of each turn as columns of its row."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset
    at_event = Appearance.objects.filter(
        event_id=OuterRef("event_id"), participant_id=OuterRef("speaker_id")
    )
    return queryset.annotate(
        detail_replies=ArraySubquery(
            Turn.objects.filter(in_reply_to_id=OuterRef("pk"))
            .order_by("sequence", "id")
            .values("id")
        ),
        detail_role=Subquery(at_event.order_by().values("role")[:1]),
        detail_outlets=ArraySubquery(
            Outlet.objects.filter(
                appearances__event_id=OuterRef("event_id"),
                appearances__participant_id=OuterRef("speaker_id"),
            )
            .order_by("name", "id")
            .values(json=JSONObject(slug="slug", name="name"))
        ),
    )


def _from_columns(turns) -> bool:
    """Turn.appearance and reply_ids from with_turn_details' columns; False if not there."""
    if not turns or "detail_replies" not in turns[0].__dict__:
        return False
    for turn in turns:
        turn.reply_ids = turn.detail_replies
        role = turn.detail_role
        turn.__dict__["appearance"] = (
            None
            if role is None
            else SpeakerAppearance(
                role, [OutletRef(o["slug"], o["name"]) for o in turn.detail_outlets]
            )
        )
    return True


def attach_replies(turns) -> None:
    """Set turn.reply_ids: the ids of the answers to each turn, in sequence order."""
    if not turns:
        return
    replies = defaultdict(list)
    rows = (
        Turn.objects.using(turns[0]._state.db)
        .filter(in_reply_to_id__in=[turn.pk for turn in turns])
        .order_by("sequence", "id")
        .values_list("in_reply_to_id", "id")
    )
    for question_id, reply_id in rows:
        replies[question_id].append(reply_id)
    for turn in turns:
        turn.reply_ids = replies.get(turn.pk, [])


def attach_speaker_appearances(turns) -> None:
    """Set Turn.appearance (None for narrative, or a speaker without an appearance)."""
    pairs = {(turn.event_id, turn.speaker_id) for turn in turns if turn.speaker_id}
    found: dict[tuple[int, int], SpeakerAppearance] = {}
    if pairs:
        using = turns[0]._state.db
        rows = (
            Appearance.objects.using(using)
            .filter(
                event_id__in={event_id for event_id, _ in pairs},
                participant_id__in={speaker_id for _, speaker_id in pairs},
            )
            .order_by()
            .values_list("id", "event_id", "participant_id", "role")
        )
        by_id = {}
        for appearance_id, event_id, participant_id, role in rows:
            if (event_id, participant_id) in pairs:
                by_id[appearance_id] = found[(event_id, participant_id)] = SpeakerAppearance(role)
        if by_id:
            outlets = (
                Appearance.outlets.through.objects.using(using)
                .filter(appearance_id__in=list(by_id))
                .order_by("outlet__name", "outlet_id")
                .values_list("appearance_id", "outlet__slug", "outlet__name")
            )
            for appearance_id, slug, name in outlets:
                by_id[appearance_id].outlet_refs.append(OutletRef(slug, name))
    for turn in turns:
        turn.__dict__["appearance"] = found.get((turn.event_id, turn.speaker_id))


def attach_turn_details(turns) -> None:
    """reply_ids and Turn.appearance on each turn: from its columns, or with three queries."""
    if not _from_columns(turns):
        attach_replies(turns)
        attach_speaker_appearances(turns)
