from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Appearance, Event, Outlet, Participant, Turn


class EventRefSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")

    class Meta:
        model = Event
        fields = ["slug", "title", "date", "url"]


class ParticipantRefSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="participant-detail", lookup_field="slug")

    class Meta:
        model = Participant
        fields = ["slug", "name", "url"]


class OutletRefSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="outlet-detail", lookup_field="slug")

    class Meta:
        model = Outlet
        fields = ["slug", "name", "url"]


class OutletSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="outlet-detail", lookup_field="slug")

    class Meta:
        model = Outlet
        fields = ["slug", "name", "kind", "url"]


class EventAppearanceSerializer(serializers.ModelSerializer):
    """A participant's role and outlets at one event, seen from the event."""

    participant = ParticipantRefSerializer()
    outlets = OutletRefSerializer(many=True)

    class Meta:
        model = Appearance
        fields = ["participant", "role", "outlets", "label"]


class ParticipantAppearanceSerializer(serializers.ModelSerializer):
    """A participant's role and outlets at one event, seen from the participant."""

    event = EventRefSerializer()
    outlets = OutletRefSerializer(many=True)

    class Meta:
        model = Appearance
        fields = ["event", "role", "outlets", "label"]


class ParticipantSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="participant-detail", lookup_field="slug")
    aliases = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Other spellings of the name."
    )
    turn_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Participant
        fields = ["slug", "name", "is_anonymous", "aliases", "turn_count", "url"]


class ParticipantDetailSerializer(ParticipantSerializer):
    appearances = ParticipantAppearanceSerializer(many=True, read_only=True)

    class Meta(ParticipantSerializer.Meta):
        fields = [*ParticipantSerializer.Meta.fields, "appearances"]


class EventSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")
    turns_url = serializers.HyperlinkedIdentityField(view_name="event-turns", lookup_field="slug")
    turn_count = serializers.IntegerField(read_only=True)

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
            "url",
            "turns_url",
        ]


class EventDetailSerializer(EventSerializer):
    appearances = EventAppearanceSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "source_name", "source_sha256", "appearances"]


class TurnSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="turn-detail")
    event = EventRefSerializer(read_only=True)
    speaker = ParticipantRefSerializer(read_only=True, allow_null=True)
    role = serializers.SerializerMethodField(help_text="The speaker's role at this event.")
    outlets = serializers.SerializerMethodField(
        help_text="The outlets the speaker appeared for at this event."
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
            "line_start",
            "line_end",
            "in_reply_to",
        ]

    def get_role(self, turn) -> str:
        return turn.appearance.role if turn.appearance else ""

    @extend_schema_field(OutletRefSerializer(many=True))
    def get_outlets(self, turn):
        if turn.appearance is None:
            return []
        return OutletRefSerializer(
            turn.appearance.outlets.all(), many=True, context=self.context
        ).data
