"""Events, the people and outlets in them, and every turn of speech (Popolo-inspired)."""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .parsing import UNDATED, count_words, name_key, slugify


def turn_order_date(date: dt.date | None) -> dt.date:
    """Turn.event_date for an event of this date (turns are ordered and paged by it)."""
    return date or UNDATED


def _trigram_index(field: str, name: str) -> GinIndex:
    """`?name=` (part of a name) as LIKE '%…%', answered by pg_trgm. Without GIN's pending
    list: names are few, and a list read whole by every lookup slowed imports down."""
    return GinIndex(fields=[field], opclasses=["gin_trgm_ops"], fastupdate=False, name=name)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ParticipantManager(SlugManager):
    def get_by_natural_key(self, slug):
        """By slug, or by the slug of a participant merged into this one."""
        try:
            return self.get(slug=slug)
        except self.model.DoesNotExist:
            redirect = ParticipantRedirect.objects.filter(slug=slug).first()
            if redirect is None:
                raise
            return self.get(pk=redirect.participant_id)


class OutletManager(SlugManager):
    def get_by_natural_key(self, slug):
        """By slug, or by the slug of an outlet merged into this one."""
        try:
            return self.get(slug=slug)
        except self.model.DoesNotExist:
            alias = OutletAlias.objects.filter(slug=slug).first()
            if alias is None:
                raise
            return self.get(pk=alias.outlet_id)


class Outlet(models.Model):
    class Kind(models.TextChoices):
        NEWS_AGENCY = "news_agency", "News agency"
        NEWSPAPER = "newspaper", "Newspaper"
        TV = "tv", "TV"
        RADIO = "radio", "Radio"
        MAGAZINE = "magazine", "Magazine"
        ONLINE = "online", "Online"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)

    objects = OutletManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outlet-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Participant(models.Model):
    """A person, or an anonymous class of people ("Journalist") at one event."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    name_key = models.CharField(
        max_length=300,
        db_index=True,
        editable=False,
        help_text="Case-, accent- and transliteration-folded name, for lookups.",
    )
    is_anonymous = models.BooleanField(
        default=False, help_text="A class of people such as 'Journalist', not one person."
    )

    objects = ParticipantManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        indexes = [_trigram_index("name_key", "participant_name_key_trgm")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("participant-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class AliasManager(models.Manager):
    def get_by_natural_key(self, participant_slug, name):
        participant = Participant.objects.get_by_natural_key(participant_slug)
        return self.get(participant=participant, name=name)


class Alias(models.Model):
    """Another spelling of a participant's name ("Sergei Mikhaylov")."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300, db_index=True, editable=False)

    objects = AliasManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        indexes = [_trigram_index("key", "alias_key_trgm")]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "name"], name="unique_alias_per_participant"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (*self.participant.natural_key(), self.name)

    natural_key.dependencies = ["interviews.participant"]


class Event(models.Model):
    """One meeting, interview or press conference."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    date = models.DateField(null=True, blank=True, db_index=True)
    time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_name = models.CharField(
        max_length=300, blank=True, help_text="File name of the transcript it was parsed from."
    )
    source_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the source transcript's bytes."
    )
    summary = models.TextField(blank=True, help_text="The narrative lead of the transcript.")
    participants = models.ManyToManyField(Participant, through="Appearance", related_name="events")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "slug"]

    def __str__(self):
        return f"{self.title} ({self.date})" if self.date else self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Turns keep a copy of the date for ordering; follow an editor's change of it.
        if getattr(self, "_loaded_date", self.date) != self.date:
            self.turns.update(event_date=turn_order_date(self.date))
        self._loaded_date = self.date

    def get_absolute_url(self):
        return reverse("event-detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_date = instance.__dict__.get("date")
        return instance

    def natural_key(self):
        return (self.slug,)


class AppearanceManager(models.Manager):
    def get_by_natural_key(self, event_slug, participant_slug):
        participant = Participant.objects.get_by_natural_key(participant_slug)
        return self.get(event__slug=event_slug, participant=participant)


class Appearance(models.Model):
    """A participant at one event, in a role, for one or more outlets."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="appearances")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="appearances"
    )
    role = models.CharField(max_length=300, blank=True, help_text='As printed: "Editor-in-Chief".')
    outlets = models.ManyToManyField(Outlet, blank=True, related_name="appearances")
    label = models.CharField(
        max_length=500, blank=True, help_text="The speaker label as first printed."
    )

    objects = AppearanceManager()
    history = HistoricalRecords(m2m_fields=[outlets])

    class Meta:
        ordering = ["event", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"], name="unique_appearance_per_event"
            )
        ]

    def __str__(self):
        return f"{self.participant} at {self.event}"

    def natural_key(self):
        return (*self.event.natural_key(), *self.participant.natural_key())

    natural_key.dependencies = ["interviews.event", "interviews.participant"]


class TurnManager(models.Manager):
    def get_queryset(self):
        # The search vector is for PostgreSQL's index, never for Python: rows come without it.
        return super().get_queryset().defer("search_vector")

    def get_by_natural_key(self, event_slug, sequence):
        return self.get(event__slug=event_slug, sequence=sequence)


class Turn(models.Model):
    """One uninterrupted contribution, or a narrative passage (speaker is null)."""

    class Kind(models.TextChoices):
        SPEECH = "speech", "Speech"
        QUESTION = "question", "Question"
        ANSWER = "answer", "Answer"
        NARRATIVE = "narrative", "Narrative"

    # No index of their own: unique_turn_sequence (event, sequence) and turn_speaker_order
    # (speaker, ...) lead with these columns, and every index costs each imported turn.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="turns", db_index=False)
    sequence = models.PositiveIntegerField(help_text="1..n, the turn's place in its event.")
    speaker = models.ForeignKey(
        Participant,
        db_index=False,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="turns",
        help_text="Null for narrative.",
    )
    speaker_label = models.CharField(max_length=500, blank=True, help_text="As printed.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SPEECH)
    text = models.TextField(help_text="Paragraphs joined by a blank line, without the label.")
    attribution = models.CharField(
        max_length=500, blank=True, help_text='"said welcoming the meeting participants".'
    )
    line_start = models.PositiveIntegerField(default=0, help_text="First source line.")
    line_end = models.PositiveIntegerField(default=0, help_text="Last source line.")
    offset = models.FloatField(
        null=True,
        blank=True,
        help_text="Seconds into the recording, from the transcript's time code; null without one.",
    )
    in_reply_to = models.ForeignKey(
        "self",
        db_index=False,  # turn_replies: only the answers, not every turn
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The question this answer replies to.",
    )
    event_date = models.DateField(
        default=UNDATED,
        editable=False,
        help_text="Copy of the event's date, the first key of turn order; 0001-01-01 if undated.",
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # Kept by PostgreSQL from the text, so a search neither computes a vector per row nor
    # ranks from one: `q=` reads it through its GIN index (turn_search_vector).
    search_vector = models.GeneratedField(
        expression=SearchVector("text", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = TurnManager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["event_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="unique_turn_sequence"),
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="turn_sequence_from_1"
            ),
        ]
        indexes = [
            # Keyset pagination in turn order, overall and per speaker.
            models.Index(fields=["event_date", "event", "sequence"], name="turn_order"),
            models.Index(
                fields=["speaker", "event_date", "event", "sequence"], name="turn_speaker_order"
            ),
            # A question's answers; most turns answer nothing and are not in it.
            models.Index(
                fields=["in_reply_to"],
                condition=models.Q(in_reply_to__isnull=False),
                name="turn_replies",
            ),
            GinIndex(fields=["search_vector"], name="turn_search_vector"),
            # Phrases: the vector's adjacent lexeme pairs (migration 0013 makes the
            # function), so a phrase search reads only the turns holding its pairs.
            GinIndex(
                models.Func(
                    models.F("search_vector"),
                    function="interviews_word_pairs",
                    output_field=SearchVectorField(),
                ),
                name="turn_word_pairs",
            ),
        ]

    def __str__(self):
        return f"{self.event.slug} #{self.sequence}"

    def save(self, *args, **kwargs):
        self.event_date = turn_order_date(self.event.date)
        self.word_count = count_words(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("turn-detail", kwargs={"pk": self.pk})

    def clean(self):
        # Narrative is text nobody says (the "Mark as narrative" action clears the speaker).
        if self.kind == self.Kind.NARRATIVE and self.speaker_id is not None:
            raise ValidationError(
                {"speaker": "A narrative turn has no speaker: clear it, or choose another kind."}
            )

    def natural_key(self):
        return (*self.event.natural_key(), self.sequence)

    natural_key.dependencies = ["interviews.event"]


class TranscriptSource(models.Model):
    """A transcript file imported into an event: importing the same bytes again is a no-op."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sources")
    sha256 = models.CharField(max_length=64)
    name = models.CharField(max_length=300, blank=True)
    imported = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sha256"], name="unique_event_source")
        ]

    def __str__(self):
        return f"{self.name or self.sha256[:12]} -> {self.event_id}"


class ParticipantRedirect(models.Model):
    """The slug of a participant merged into another: old links keep working."""

    slug = models.SlugField(max_length=200, unique=True)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.slug} -> {self.participant_id}"


class ParticipantSplit(models.Model):
    """At one event, the speaker an import would give `slug` is `participant`: an editor
    split a participant who held two people, and re-imports keep the split."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="splits")
    slug = models.SlugField(max_length=200, help_text="The participant split from.")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="splits_into"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="unique_split_per_event")
        ]

    def __str__(self):
        return f"{self.slug} at {self.event_id} -> {self.participant_id}"


class OutletAlias(models.Model):
    """Another name (and, after a merge, the old slug) of an outlet."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "outlet aliases"
        constraints = [
            models.UniqueConstraint(fields=["outlet", "name"], name="unique_outlet_alias")
        ]

    def __str__(self):
        return self.name


class Correction(models.Model):
    """A field an editor changed. Imports keep the editor's value of it.

    field "turns" on an event means its turns were split or joined: imports
    then leave all of that event's turns as the editors left them.
    """

    STRUCTURE = "turns"

    model = models.CharField(max_length=100, help_text='"interviews.turn"')
    object_id = models.BigIntegerField()
    field = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id", "field"], name="unique_correction"
            )
        ]

    def __str__(self):
        return f"{self.model} {self.object_id}: {self.field}"


class Office(models.Model):
    """An office whose holder role labels stand for: "THE PRESIDENT" on a given day."""

    name = models.CharField(max_length=300, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    labels = models.TextField(
        blank=True,
        help_text='Role labels that stand for the office, one per line: "The President".',
    )

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def label_list(self) -> list[str]:
        return [line.strip() for line in self.labels.splitlines() if line.strip()]


class OfficeHolderManager(models.Manager):
    def get_by_natural_key(self, office_slug, slug):
        return self.get(office__slug=office_slug, slug=slug)


class OfficeHolder(models.Model):
    """A person in an office from `start` (inclusive) to `end` (exclusive; empty: still)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="holders")
    person = models.CharField(max_length=300, help_text="Full name, as participants are named.")
    start = models.DateField(null=True, blank=True, help_text="First day in office.")
    end = models.DateField(
        null=True, blank=True, help_text="First day out of office; empty while in office."
    )
    slug = models.SlugField(
        max_length=200,
        editable=False,
        help_text="Stable key within the office (person and first year), for fixtures.",
    )

    objects = OfficeHolderManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["office", "start"]
        constraints = [
            models.UniqueConstraint(fields=["office", "slug"], name="unique_office_holder"),
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(start__lt=models.F("end")),
                name="office_holder_starts_before_end",
            ),
        ]

    def __str__(self):
        span = f"{self.start or '…'} – {self.end or ''}".strip()
        return f"{self.person}, {self.office} ({span})"

    def save(self, *args, **kwargs):
        if not self.slug:
            year = f"-{self.start.year}" if self.start else ""
            base = slug = f"{slugify(self.person) or 'holder'}{year}"[:190]
            taken = OfficeHolder.objects.filter(office_id=self.office_id).exclude(pk=self.pk)
            number = 2
            while taken.filter(slug=slug).exists():
                slug, number = f"{base}-{number}", number + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def natural_key(self):
        return (*self.office.natural_key(), self.slug)

    natural_key.dependencies = ["interviews.office"]
