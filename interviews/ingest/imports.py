"""Importing transcripts into the database: one transaction each, idempotent, corrections kept."""

import hashlib
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q

from ..models import (
    Alias,
    Appearance,
    Correction,
    Event,
    OfficeHolder,
    Participant,
    ParticipantRedirect,
    ParticipantSplit,
    TranscriptSource,
    Turn,
)
from ..parsing import (
    OfficeTerm,
    ParsedTranscript,
    ParseWarning,
    name_key,
    parse_transcript,
    slugify,
)
from ..parsing.people import fullness, matching_names, same_person
from .fixtures import PER_EVENT, event_slug_for, participant_slug_for, to_fixture
from .loading import fixture_load

IMPORTED = "imported"
UNCHANGED = "unchanged"


@dataclass
class ImportResult:
    status: str
    event_slug: str
    parsed: ParsedTranscript
    records: list = field(default_factory=list)
    kept: int = 0
    matched: dict[str, str] = field(default_factory=dict)  # speaker name -> existing slug
    warnings: list[ParseWarning] = field(default_factory=list)


def office_table(using: str = "default") -> tuple[OfficeTerm, ...]:
    """The office holders editors keep in the admin, as the parser reads them."""
    holders = OfficeHolder.objects.using(using).select_related("office").order_by("pk")
    return tuple(
        OfficeTerm(
            office=holder.office.name,
            labels=tuple(holder.office.label_list),
            person=holder.person,
            start=holder.start,
            end=holder.end,
        )
        for holder in holders
    )


def known_participants(parsed: ParsedTranscript) -> tuple[dict[str, str], list[ParseWarning]]:
    """Speaker keys of people already in the database -> their slugs.

    A person is found by name or alias (a spelling, or a label an earlier transcript
    resolved: "Ms. Psaki" for Jen Psaki), or by initial and surname ("V. Putin"), when
    exactly one participant fits and the names can be one person's (parsing.people:
    "Sarah Sanders" is not the "Symone Sanders" also printed "Ms. Sanders"). Anonymous
    classes and per-event roles never match: "Moderator" at one event is not the one at
    another. Two or three queries for all the speakers of the transcript.
    """
    matches: dict[str, str] = {}
    warnings: list[ParseWarning] = []
    # Each speaker's names by key: how full a name is is read from the name as printed
    # ("Secretary Blinken"), not from its key ("secretari blinken").
    printed = {
        speaker.key: {
            name_key(name): name for name in matching_names(speaker.name, speaker.aliases)
        }
        for speaker in parsed.speakers
        if not speaker.anonymous and not speaker.per_event and fullness(speaker.name) >= 0
    }
    wanted = {key: set(names) - {""} for key, names in printed.items()}
    if not wanted:
        return matches, warnings
    every_key = set().union(*wanted.values())
    people = Participant.objects.filter(is_anonymous=False).exclude(slug__contains=PER_EVENT)
    alias_keys: dict[int, set[str]] = {}
    aliases = Alias.objects.filter(key__in=every_key, participant__in=people)
    for participant_id, key in aliases.values_list("participant_id", "key"):
        alias_keys.setdefault(participant_id, set()).add(key)
    found_by = Q(name_key__in=every_key) | Q(pk__in=list(alias_keys))
    initials = {
        speaker.key: words
        for speaker in parsed.speakers
        if speaker.key in wanted and fullness(speaker.name) == 1
        for words in [name_key(speaker.name).split()]
        if len(words) > 1
    }
    for words in initials.values():
        found_by |= Q(name_key__startswith=words[0], name_key__endswith=f" {words[-1]}")
    # In the participants' order (name, slug), as the warning lists them.
    candidates = list(people.filter(found_by).values_list("pk", "slug", "name", "name_key"))
    for speaker in parsed.speakers:
        keys = wanted.get(speaker.key)
        if keys is None:
            continue
        found: list[str] = []
        names: dict[str, str] = {}
        by_full_name: set[str] = set()
        for pk, slug, name, key in candidates:
            shared = keys & ({key} | alias_keys.get(pk, set()))
            # A full name in common names one person; a shorter form ("Ms. Sanders") only
            # if the two names can be one person's.
            if any(fullness(printed[speaker.key].get(common, common)) == 2 for common in shared):
                fits = strong = True
            elif shared or speaker.key in initials:
                fits, strong = same_person(speaker.name, name), False
            else:
                fits = strong = False
            if fits and slug not in found:
                found.append(slug)
                names[slug] = name
            if strong:
                by_full_name.add(slug)
        # "Smithers" and "Jane Smithers" both fit "MS. SMITHERS" of a transcript that names
        # Jane: the shorter is the same person printed by surname (resolve_identities then
        # merges it). Two participants that both carry the full name stay a question.
        fullest = [slug for slug in found if fullness(names[slug]) == 2]
        if len(found) > 1 and len(by_full_name) == 1:
            found = sorted(by_full_name)
        elif len(found) > 1 and not by_full_name and len(fullest) == 1:
            found = fullest
        if len(found) == 1:
            matches[speaker.key] = found[0]
        elif len(found) > 1:
            warnings.append(
                ParseWarning(
                    0,
                    f'"{speaker.name}" matches several participants ({", ".join(found[:2])}); '
                    "kept apart — merge them in the admin if they are one person",
                )
            )
    return matches, warnings


def transcript_import(
    *,
    data: bytes | None = None,
    parsed: ParsedTranscript | None = None,
    source_name: str = "",
    event_slug: str | None = None,
    force: bool = False,
    durable: bool = True,
    known: dict[str, str] | None = None,
) -> ImportResult:
    """Parse (unless given `parsed`) and load one transcript; TranscriptError for unusable input.

    An event already imported from the same bytes is left as it is ("unchanged")
    unless force=True. It loads through the one loader (interviews.ingest.loading),
    which keeps editors' corrections, in one transaction: a failure leaves nothing
    behind.

    durable=False (a batch of transcripts, which calls flush_commits() at its end):
    the commit does not wait for the disk. Each transcript is still all or nothing;
    a crash of the machine before the batch's flush may lose the last transcripts
    committed (a fraction of a second's worth), and importing the batch again
    brings them back (what is there is "unchanged").

    known: speaker keys whose participant the caller already knows -> their slugs.
    """
    if parsed is None:
        parsed = parse_transcript(data, source_name=source_name, offices=office_table())
    slug = event_slug or event_slug_for(parsed)
    with transaction.atomic():
        _lock(slug, durable)
        stored_event = Event.objects.filter(slug=slug).values_list("pk", flat=True).first()
        seen = TranscriptSource.objects.filter(event_id=stored_event, sha256=parsed.source_sha256)
        if stored_event is not None and not force and seen.exists():
            return ImportResult(UNCHANGED, slug, parsed, warnings=list(parsed.warnings))
        matched, identity_warnings = known_participants(parsed)
        stored = dict(
            (slug, (pk, name))
            for pk, slug, name in Participant.objects.filter(
                slug__in=set(matched.values())
            ).values_list("pk", "slug", "name")
        )
        renamed = _fuller_names(parsed, matched, stored)
        matched = {key: renamed.get(slug, slug) for key, slug in matched.items()}
        matched.update(known or {})
        if stored_event is not None:  # a new event has no splits
            matched.update(_splits(parsed, slug, matched))
        records = _attach_to_known(
            to_fixture(parsed, event_slug=slug, participant_slugs=matched), parsed, matched
        )
        loaded = fixture_load(records=records)
        event_id = loaded.events[slug]
        if stored_event is not None:
            _drop_stale_appearances(event_id)
        if event_id in loaded.new_events:
            TranscriptSource.objects.create(
                event_id=event_id, sha256=parsed.source_sha256, name=source_name
            )
        else:
            TranscriptSource.objects.get_or_create(
                event_id=event_id, sha256=parsed.source_sha256, defaults={"name": source_name}
            )
        names = {s.key: s.name for s in parsed.speakers}
        return ImportResult(
            IMPORTED,
            slug,
            parsed,
            records=records,
            kept=loaded.kept_records,
            matched={names[key]: value for key, value in matched.items()},
            warnings=[*parsed.warnings, *identity_warnings],
        )


def flush_commits() -> None:
    """Wait until every transaction committed so far on this connection is on disk.

    After transcripts imported with durable=False: a transaction that writes (it takes
    a transaction id) commits synchronously, and PostgreSQL writes the log in order,
    so its commit waits for every earlier one.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO ON")
        cursor.execute("SELECT pg_current_xact_id()")


def _fuller_names(
    parsed: ParsedTranscript, matched: dict[str, str], stored: dict[str, tuple[int, str]]
) -> dict[str, str]:
    """Known people printed by surname only so far get the full name this transcript gives.

    "Psaki" (an earlier briefing named nobody) becomes "Jen Psaki", under her own slug;
    the old slug redirects and the old name stays an alias. A name an editor corrected
    is left as it is. Returns the new slugs by old slug.
    """
    speakers = {speaker.key: speaker for speaker in parsed.speakers}
    fuller = {
        slug: speakers[key].name
        for key, slug in matched.items()
        if fullness(speakers[key].name) == 2 and slug in stored and fullness(stored[slug][1]) < 2
    }
    if not fuller:
        return {}
    corrected = set(
        Correction.objects.filter(
            model="interviews.participant",
            field="name",
            object_id__in=[stored[s][0] for s in fuller],
        ).values_list("object_id", flat=True)
    )
    renamed: dict[str, str] = {}
    for participant in Participant.objects.filter(slug__in=list(fuller)):
        name = fuller[participant.slug]
        if participant.pk in corrected:
            continue
        old_slug, old_name = participant.slug, participant.name
        slug = slugify(name)
        if (
            not slug
            or Participant.objects.filter(slug=slug).exists()
            or (ParticipantRedirect.objects.filter(slug=slug).exists())
        ):
            slug = old_slug
        participant.name, participant.slug = name, slug
        participant.skip_history_when_saving = True  # an import, not an edit
        participant.save()
        if name_key(old_name) != name_key(name):
            Alias.objects.get_or_create(participant=participant, name=old_name)
        if slug != old_slug:
            ParticipantRedirect.objects.create(slug=old_slug, participant=participant)
        renamed[old_slug] = slug
    return renamed


def _splits(parsed: ParsedTranscript, event_slug: str, matched: dict[str, str]) -> dict[str, str]:
    """Speakers an editor split off the participant the import would give them (at this
    event): speaker key -> the participant they were given. Slugs are compared as the
    participants they lead to (a renamed or merged participant's old slug redirects)."""
    splits = list(
        ParticipantSplit.objects.filter(event__slug=event_slug).values_list(
            "slug", "participant__slug"
        )
    )
    if not splits:
        return {}
    slugs = {
        speaker.key: matched.get(speaker.key)
        or participant_slug_for(parsed, speaker.key, event_slug)
        for speaker in parsed.speakers
    }
    ids = _participant_ids({*slugs.values(), *(source for source, _ in splits)})
    into = {ids[source]: target for source, target in splits if source in ids}
    return {key: into[ids[slug]] for key, slug in slugs.items() if ids.get(slug) in into}


def _participant_ids(slugs: set[str]) -> dict[str, int]:
    """slug -> id of the participant it names, directly or through a redirect."""
    found = dict(
        ParticipantRedirect.objects.filter(slug__in=slugs).values_list("slug", "participant_id")
    )
    found.update(Participant.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return found


def _drop_stale_appearances(event_id: int) -> None:
    """Appearances of participants who no longer speak at the event (their turns went to
    another by an editor, a split or a better resolution), unless an editor corrected the
    appearance itself (an editor may record a participant who says nothing)."""
    speaking = Turn.objects.filter(event_id=event_id).exclude(speaker=None).values("speaker_id")
    stale = Appearance.objects.filter(event_id=event_id).exclude(participant_id__in=speaking)
    corrected = Correction.objects.filter(
        model="interviews.appearance", object_id__in=stale.values("pk")
    ).values("object_id")
    stale.exclude(pk__in=corrected).delete()


def _attach_to_known(records, parsed, matched):
    """Known people keep their record as it is; a new spelling of them becomes an alias."""
    known_slugs = set(matched.values())
    existing = dict(
        Participant.objects.filter(slug__in=known_slugs).values_list("slug", "name_key")
    )
    # Aliases they already have (a known person's labels come with every transcript).
    have = set(
        Alias.objects.filter(participant__slug__in=known_slugs).values_list(
            "participant__slug", "key"
        )
    )
    kept = [
        record
        for record in records
        if not (
            record["model"] == "interviews.participant" and record["fields"]["slug"] in known_slugs
        )
        and not (
            record["model"] == "interviews.alias"
            and (record["fields"]["participant"][0], record["fields"]["key"]) in have
        )
    ]
    spellings = []
    for speaker in parsed.speakers:
        slug = matched.get(speaker.key)
        if slug and name_key(speaker.name) != existing.get(slug):
            spellings.append(
                {
                    "model": "interviews.alias",
                    "fields": {
                        "participant": [slug],
                        "name": speaker.name,
                        "key": name_key(speaker.name),
                    },
                }
            )
    return spellings + kept


def _lock(slug: str, durable: bool = True) -> None:
    """Serialise concurrent imports of one event.

    Not durable: in the same round trip, this transaction's commit will not wait for the
    disk (synchronous_commit off; see transcript_import)."""
    key = int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big", signed=True)
    unwaited = "" if durable else ", set_config('synchronous_commit', 'off', true)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock(%s){unwaited}", [key])
