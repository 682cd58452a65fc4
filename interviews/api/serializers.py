"""The API's representations. Every Meta says `read_only_fields = fields`: the API only
reads, and the schema then marks each field required in responses, as every response
carries it (clients generated from the schema would otherwise type it optional)."""

import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from django.urls import get_script_prefix
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.reverse import reverse

from ..models import Appearance, Event, Outlet, Participant, Turn
from .selectors import TurnRow


class EventRefSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")

    class Meta:
        model = Event
        fields = ["slug", "title", "date", "url"]
        read_only_fields = fields


class ParticipantRefSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="participant-detail", lookup_field="slug")

    class Meta:
        model = Participant
        fields = ["slug", "name", "url"]
        read_only_fields = fields


class OutletRefSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="outlet-detail", lookup_field="slug")

    class Meta:
        model = Outlet
        fields = ["slug", "name", "url"]
        read_only_fields = fields


class OutletSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="outlet-detail", lookup_field="slug")

    class Meta:
        model = Outlet
        fields = ["slug", "name", "kind", "url"]
        read_only_fields = fields


class EventAppearanceSerializer(serializers.ModelSerializer):
    """A participant's role and outlets at one event, and their share of its words."""

    participant = ParticipantRefSerializer()
    outlets = OutletRefSerializer(many=True)
    turn_count = serializers.IntegerField(read_only=True, help_text="Turns at this event.")
    word_count = serializers.IntegerField(read_only=True, help_text="Words at this event.")
    word_share = serializers.FloatField(
        read_only=True, help_text="Share of the event's spoken words, 0 to 1."
    )

    class Meta:
        model = Appearance
        fields = [
            "participant",
            "role",
            "outlets",
            "label",
            "turn_count",
            "word_count",
            "word_share",
        ]
        read_only_fields = fields


class ParticipantAppearanceSerializer(serializers.ModelSerializer):
    """A participant's role and outlets at one event, seen from the participant."""

    event = EventRefSerializer()
    outlets = OutletRefSerializer(many=True)

    class Meta:
        model = Appearance
        fields = ["event", "role", "outlets", "label"]
        read_only_fields = fields


class ParticipantSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="participant-detail", lookup_field="slug")
    aliases = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Other spellings of the name."
    )
    turn_count = serializers.IntegerField(read_only=True, help_text="Turns in all events.")
    word_count = serializers.IntegerField(read_only=True, help_text="Words in all events.")
    event_count = serializers.IntegerField(read_only=True, help_text="Events appeared in.")
    events_url = serializers.SerializerMethodField(help_text="The events they appear in.")
    turns_url = serializers.SerializerMethodField(help_text="Their turns.")

    class Meta:
        model = Participant
        fields = [
            "slug",
            "name",
            "is_anonymous",
            "aliases",
            "turn_count",
            "word_count",
            "event_count",
            "url",
            "events_url",
            "turns_url",
        ]
        read_only_fields = fields

    def get_events_url(self, participant) -> str:
        return _filtered(self._links.events, "participant", participant.slug)

    def get_turns_url(self, participant) -> str:
        return _filtered(self._links.turns, "speaker", participant.slug)

    def to_representation(self, participant):
        """The declared fields, built directly: DRF's field-by-field path, three reverse()
        calls per participant among it, made a page of participants nearly twice as slow
        (bench/ab.py, bench/RESULTS.md).

        The declarations above stay the contract (and the schema); a test compares this
        with DRF's own representation.
        """
        links, slug = self._links, participant.slug
        return {
            "slug": slug,
            "name": participant.name,
            "is_anonymous": participant.is_anonymous,
            "aliases": [alias.name for alias in _aliases(participant)],
            "turn_count": participant.turn_count,
            "word_count": participant.word_count,
            "event_count": participant.event_count,
            "url": _link(links.participant, _path_part(slug)),
            "events_url": self.get_events_url(participant),
            "turns_url": self.get_turns_url(participant),
        }

    @cached_property
    def _links(self):
        return DetailLinks.for_request(self.context.get("request"))


def _aliases(participant):
    """The participant's aliases: as the list view prefetches them (a list), or by manager."""
    found = getattr(participant, "alias_list", None)
    return participant.aliases.all() if found is None else found


def _filtered(list_url: str, parameter: str, value: str) -> str:
    """A list's URL with one filter added (after `?format=`, when the request had one)."""
    return f"{list_url}{'&' if '?' in list_url else '?'}{urlencode({parameter: value})}"


class ParticipantDetailSerializer(ParticipantSerializer):
    appearances = ParticipantAppearanceSerializer(
        many=True, read_only=True, help_text="The events they appear in, with role and outlets."
    )

    # One participant: DRF's field-by-field representation (appearances included).
    to_representation = serializers.HyperlinkedModelSerializer.to_representation

    class Meta(ParticipantSerializer.Meta):
        fields = [*ParticipantSerializer.Meta.fields, "appearances"]
        read_only_fields = fields


class EventSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")
    # Not a URLField's "format: uri": most transcripts come without one, and "" is no URI.
    source_url = serializers.CharField(
        read_only=True, help_text="Where the transcript was published; empty if unknown."
    )
    turns_url = serializers.HyperlinkedIdentityField(view_name="event-turns", lookup_field="slug")
    turn_count = serializers.IntegerField(read_only=True)
    word_count = serializers.IntegerField(read_only=True, help_text="Words spoken.")

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "date",
            "time",
            "location",
            "source_url",
            "summary",
            "turn_count",
            "word_count",
            "url",
            "turns_url",
        ]
        read_only_fields = fields


class EventDetailSerializer(EventSerializer):
    appearances = EventAppearanceSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "source_name", "source_sha256", "appearances"]
        read_only_fields = fields


class TurnSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="turn-detail")
    event = EventRefSerializer(read_only=True)
    speaker = ParticipantRefSerializer(read_only=True, allow_null=True)
    # role and outlets come from the speaker's Appearance at the event.
    role = serializers.CharField(read_only=True, help_text="The speaker's role at this event.")
    outlets = OutletRefSerializer(
        many=True, read_only=True, help_text="The outlets the speaker appeared for at this event."
    )
    kind = serializers.ChoiceField(
        choices=Turn.Kind.choices,
        read_only=True,
        help_text=(
            "speech, question, answer or narrative (Popolo codes). A question is a turn by a "
            "speaker other than the principal(s) that asks (a question mark, or words such as "
            "'I would like to ask'); the principal's next turn is its answer, linked by "
            "in_reply_to; other speech is speech; narrative has no speaker."
        ),
    )
    in_reply_to = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the question this answer replies to."
    )
    replies = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the answers to this question."
    )
    highlight = serializers.CharField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text=(
            "With q: a snippet of the text, HTML-escaped, with the matched words in <mark>; "
            "otherwise null."
        ),
    )

    class Meta:
        model = Turn
        fields = [
            "id",
            "url",
            "event",
            "sequence",
            "kind",
            "speaker",
            "speaker_label",
            "role",
            "outlets",
            "attribution",
            "text",
            "word_count",
            "line_start",
            "line_end",
            "offset",
            "in_reply_to",
            "replies",
            "highlight",
        ]
        read_only_fields = fields

    def to_representation(self, row: TurnRow):
        """A TurnRow (interviews.api.selectors) as the declared fields say, built directly.

        The declarations above are the contract (and the schema); building the dict here
        skips a field object per value, and links are a prefix reversed once per
        serializer and the key, not a reverse() per link.
        """
        refs = self._refs
        event = refs.get(("event", row.event_id))
        if event is None:
            event = refs[("event", row.event_id)] = self._event_ref(
                row.event_slug, row.event_title, row.event_day
            )
        speaker = None
        if row.speaker_slug is not None:
            speaker = refs.get(("speaker", row.speaker_slug))
            if speaker is None:
                speaker = refs[("speaker", row.speaker_slug)] = self._speaker_ref(
                    row.speaker_slug, row.speaker_name
                )
        outlets = []
        for slug, name in zip(row.outlet_slugs, row.outlet_names, strict=True):
            outlet = refs.get(("outlet", slug))
            if outlet is None:
                outlet = refs[("outlet", slug)] = self._outlet_ref(slug, name)
            outlets.append(outlet)
        return {
            "id": row.id,
            "url": _link(self._links.turn, str(row.id)),
            "event": event,
            "sequence": row.sequence,
            "kind": row.kind,
            "speaker": speaker,
            "speaker_label": row.speaker_label,
            "role": row.role,
            "outlets": outlets,
            "attribution": row.attribution,
            "text": row.text,
            "word_count": row.word_count,
            "line_start": row.line_start,
            "line_end": row.line_end,
            "offset": row.offset,
            "in_reply_to": row.in_reply_to_id,
            "replies": row.reply_ids,
            "highlight": row.highlight,
        }

    # A page's turns mostly share their event, speakers and outlets: each reference is
    # built once per page (per serializer) and the same dict is used again.

    @cached_property
    def _refs(self) -> dict:
        return {}

    def _event_ref(self, slug, title, day) -> dict:
        return {
            "slug": slug,
            "title": title,
            "date": day.isoformat() if day else None,
            "url": _link(self._links.event, _path_part(slug)),
        }

    def _speaker_ref(self, slug, name) -> dict:
        return {
            "slug": slug,
            "name": name,
            "url": _link(self._links.participant, _path_part(slug)),
        }

    def _outlet_ref(self, slug, name) -> dict:
        return {"slug": slug, "name": name, "url": _link(self._links.outlet, _path_part(slug))}

    @cached_property
    def _links(self):
        return DetailLinks.for_request(self.context.get("request"))


_UNRESERVED = re.compile(r"[-A-Za-z0-9_.~]+")


@lru_cache(maxsize=65536)
def _path_part(slug: str) -> str:
    """The slug as reverse() puts it in a path: percent-encoded unless already safe (slugs are)."""
    return slug if _UNRESERVED.fullmatch(slug) else quote(slug)


def _link(halves: tuple[str, str], key: str) -> str:
    return halves[0] + key + halves[1]


class DetailLinks:
    """Each detail view's link as a prefix and a suffix, reversed once: prefix + key + suffix.

    The suffix is what DRF's reverse() adds from the request (`?format=json`).
    """

    _known: dict = {}  # by what the links depend on; a few entries (one per host name)

    @classmethod
    def for_request(cls, request) -> "DetailLinks":
        """The links for this request's scheme, host, script prefix and `format`: reversed once."""
        if request is None:
            return cls(None)
        key = (request.scheme, request.get_host(), get_script_prefix(), request.GET.get("format"))
        links = cls._known.get(key)
        if links is None:
            if len(cls._known) >= 64:  # host names are ALLOWED_HOSTS, but stay bounded
                cls._known.clear()
            links = cls._known[key] = cls(request)
        return links

    def __init__(self, request):
        self.turn = _halves("turn-detail", "pk", request)
        self.event = _halves("event-detail", "slug", request)
        self.participant = _halves("participant-detail", "slug", request)
        self.outlet = _halves("outlet-detail", "slug", request)
        self.events = reverse("event-list", request=request)
        self.turns = reverse("turn-list", request=request)


_PLACEHOLDER = "9081726354"  # a key that matches every lookup pattern, found once in the URL


def _halves(view_name, lookup, request) -> tuple[str, str]:
    url = reverse(view_name, kwargs={lookup: _PLACEHOLDER}, request=request)
    prefix, found, suffix = url.partition(_PLACEHOLDER)
    if not found or _PLACEHOLDER in suffix:
        raise ValueError(f"{view_name}: cannot find the key in {url}")
    return prefix, suffix
