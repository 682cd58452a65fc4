"""The one loader: fixture records into the database, set by set, corrections kept.

Every import route comes here: `import_transcripts` (a parsed transcript's records),
`load_fixtures` (fixture files: the seed's, the office table), `resolve_identities`.
Django's own `loaddata` is left as Django ships it and knows nothing of corrections.

`fixture_load(records=...)` takes natural-key records (no primary keys) in any order,
for any number of events at once, with a fixed number of queries per model:

- each record is found by its natural key (slugs, `(event, sequence)` for turns,
  `(office, slug)` for office holders; merged participants and outlets through their
  redirects), and updated in full (fields it does not name get their defaults) or
  inserted;
- the correction policy, here and nowhere else: a field an editor corrected (a
  Correction row) keeps the editor's value, corrected outlets of an appearance are
  left as they are, a merged-away participant or outlet is not written, and no turn
  of an event whose turns an editor split or joined is touched;
- derived fields (DERIVED, and a turn's event_date from its event's stored date) are
  computed here from the values written, as the models' save() computes them;
- nothing writes history (imports are not edits); each kept correction is counted.

New turns get their ids from the sequence first and arrive by COPY, so an answer can
point to a question of the same batch in one pass. It runs in a transaction of its
own (a savepoint inside the caller's): a failure leaves nothing behind.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.base import DeserializationError
from django.db import connections, models, transaction
from django.db.models import Q

from ..models import (
    Alias,
    Appearance,
    Correction,
    Event,
    Office,
    OfficeHolder,
    Outlet,
    OutletAlias,
    Participant,
    ParticipantRedirect,
    Turn,
    count_words,
    turn_order_date,
)
from ..parsing import name_key

ORDER = [Outlet, Participant, Alias, Event, Appearance, Turn, Office, OfficeHolder]
# Fields computed from another field, here as the models' save() computes them: a record's
# values for them are not trusted, and a corrected field brings its derived ones back.
DERIVED = {
    Participant: [("name_key", "name", name_key)],
    Alias: [("key", "name", name_key)],
    Turn: [("word_count", "text", count_words)],
}
LABELS = {model._meta.label_lower: model for model in ORDER}
BATCH = 5000


@dataclass
class LoadResult:
    kept: Counter = field(default_factory=Counter)  # model label -> corrected records kept
    kept_fields: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    events: dict[str, int] = field(default_factory=dict)  # slug -> id of the events loaded
    new_events: set[int] = field(default_factory=set)

    @property
    def kept_records(self) -> int:
        return sum(self.kept.values())


@dataclass
class _Row:
    """One record, its fields as Python values (attnames), its outlets if it has them."""

    values: dict[str, Any]
    outlets: list[int] | None = None


def fixture_load(*, records: Iterable[dict], using: str = "default") -> LoadResult:
    """Load natural-key fixture records; see the module docstring. Raises DeserializationError."""
    grouped: dict[type[models.Model], list[dict]] = {model: [] for model in ORDER}
    for record in records:
        model = LABELS.get(str(record.get("model", "")).lower())
        if model is None:
            raise DeserializationError(f"Invalid model identifier: {record.get('model')}")
        if record.get("pk") is not None:
            raise DeserializationError(f"{record['model']}: records are found by natural key")
        grouped[model].append(record["fields"])
    with transaction.atomic(using=using):
        return _Loader(using).load(grouped)


class _Loader:
    def __init__(self, using: str) -> None:
        self.using = using
        self.result = LoadResult()
        self.outlets: dict[str, tuple[int, bool]] = {}  # slug -> (id, reached by a redirect)
        self.participants: dict[str, tuple[int, bool]] = {}
        self.events: dict[str, int] = {}
        self.new_events: set[int] = set()
        self._convert: dict[tuple[type, str], Any] = {}

    def load(self, grouped) -> LoadResult:
        self._outlets(grouped[Outlet])
        self._participants(grouped[Participant])
        self._aliases(grouped[Alias])
        self._events(grouped[Event])
        self._appearances(grouped[Appearance])
        self._turns(grouped[Turn])
        self._offices(grouped[Office], grouped[OfficeHolder])
        return self.result

    # --- natural keys -------------------------------------------------------------------

    def _find_slugs(self, model, redirect_model, redirect_field, slugs, found) -> None:
        """slug -> (id, redirected) for the slugs not yet in found: by slug, else by redirect."""
        missing = sorted({slug for slug in slugs if slug not in found})
        if not missing:
            return
        # Hand-written: it runs several times per transcript, and the ORM's union cost more
        # to build than to run.
        marks = ", ".join(["%s"] * len(missing))
        column = redirect_model._meta.get_field(redirect_field).column
        sql = (
            # Reviewed (bandit B608): table names of the models; the slugs are %s parameters.
            f"SELECT slug, id, 0 FROM {model._meta.db_table} WHERE slug IN ({marks})"  # nosec B608
            f" UNION ALL SELECT slug, {column}, 1 FROM {redirect_model._meta.db_table}"
            f" WHERE slug IN ({marks})"
        )
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [*missing, *missing])
            rows = cursor.fetchall()
        for slug, pk, is_redirect in sorted(rows, key=lambda row: row[2]):
            found.setdefault(slug, (pk, bool(is_redirect)))

    def _outlet_ids(self, slugs) -> None:
        self._find_slugs(Outlet, OutletAlias, "outlet_id", slugs, self.outlets)

    def _participant_ids(self, slugs) -> None:
        self._find_slugs(
            Participant, ParticipantRedirect, "participant_id", slugs, self.participants
        )

    def _event_ids(self, slugs) -> None:
        missing = {slug for slug in slugs if slug not in self.events}
        if missing:
            rows = Event.objects.using(self.using).filter(slug__in=missing)
            self.events.update(rows.values_list("slug", "pk"))

    def _reference(self, found: dict, model, key) -> int:
        slug = _single_key(model, key)
        if slug not in found:
            raise DeserializationError(f"{model._meta.label}: no row with natural key {key!r}")
        value = found[slug]
        return value[0] if isinstance(value, tuple) else value

    # --- values ---------------------------------------------------------------------------

    def _row(self, model, fields: dict) -> _Row:
        """A record's plain fields as Python values; relations are left to the caller."""
        values = {}
        for name, value in fields.items():
            converter = self._convert.get((model, name))
            if converter is None:
                converter = self._converter(model, name)
            if converter is not _RELATION:
                try:
                    values[name] = converter(value)
                except Exception as error:
                    raise DeserializationError.WithData(
                        error, model._meta.label_lower, None, value
                    ) from error
        _derive(model, values)
        return _Row(values)

    def _converter(self, model, name):
        try:
            model_field = model._meta.get_field(name)
        except Exception as error:
            raise DeserializationError(f"{model._meta.label}: {error}") from error
        converter = _RELATION if model_field.is_relation else model_field.to_python
        if isinstance(model_field, models.DateField) and not model_field.is_relation:
            converter = _memoized(model_field.to_python)
        self._convert[(model, name)] = converter
        return converter

    # --- corrections ----------------------------------------------------------------------

    def _corrections(self, model, pks) -> dict[int, list[str]]:
        fields: dict[int, list[str]] = defaultdict(list)
        if pks:
            rows = Correction.objects.using(self.using).filter(
                model=model._meta.label_lower, object_id__in=set(pks)
            )
            for object_id, name in rows.values_list("object_id", "field"):
                fields[object_id].append(name)
        return fields

    def _keep_corrected(self, model, updates: dict[int, list[_Row]]) -> set[int]:
        """Put back corrected fields in the rows about to be updated; pks whose outlets stay."""
        label = model._meta.label_lower
        corrected = self._corrections(model, list(updates))
        current = {}
        if corrected:
            current = model._default_manager.using(self.using).in_bulk(list(corrected))
        outlets_kept = set()
        for pk, rows in updates.items():
            names = corrected.get(pk)
            if not names or pk not in current:
                continue
            for row in rows:
                for name in names:
                    if name == Correction.STRUCTURE:
                        continue
                    model_field = model._meta.get_field(name)
                    if model_field.many_to_many:
                        outlets_kept.add(pk)
                        continue
                    row.values[model_field.attname] = getattr(current[pk], model_field.attname)
                _derive(model, row.values)
                self.result.kept[label] += 1
                self.result.kept_fields += len(names)
        return outlets_kept

    # --- writing --------------------------------------------------------------------------

    def _write(self, model, inserts: dict[Any, _Row], updates: dict[int, list[_Row]]) -> dict:
        """Insert the new rows and update the found ones (the last record of a row wins).

        Returns key -> id of the inserted rows.
        """
        label = model._meta.label_lower
        new = [model(**row.values) for row in inserts.values()]
        model._default_manager.using(self.using).bulk_create(new, batch_size=BATCH)
        self.result.created[label] += len(new)
        if updates:
            objects = [model(pk=pk, **rows[-1].values) for pk, rows in updates.items()]
            self._update_changed(model, objects)
            self.result.updated[label] += len(objects)
        return {key: obj.pk for key, obj in zip(inserts, new, strict=True)}

    def _update_changed(self, model, objects) -> None:
        """Write only the fields that differ from the stored row.

        A re-import mostly finds rows as they are (or with one field changed, such as a
        turn's speaker), and bulk_update's statement grows with rows x fields.
        """
        manager = model._default_manager.using(self.using)
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        stored = {}
        for start in range(0, len(objects), BATCH):
            pks = [obj.pk for obj in objects[start : start + BATCH]]
            stored.update(
                (row[0], row[1:]) for row in manager.filter(pk__in=pks).values_list("pk", *names)
            )
        changed: dict[tuple[str, ...], list] = defaultdict(list)
        for obj in objects:
            current = stored.get(obj.pk)
            fields = tuple(
                name
                for index, name in enumerate(names)
                if current is None or getattr(obj, name) != current[index]
            )
            if fields:
                changed[fields].append(obj)
        for fields, group in changed.items():
            manager.bulk_update(group, list(fields), batch_size=BATCH)

    def _slugged(self, model, records, found: dict, find) -> None:
        """Outlets and participants: by slug; a merged-away one is left as it is."""
        label = model._meta.label_lower
        find([fields.get("slug") for fields in records])
        inserts: dict[str, _Row] = {}
        updates: dict[int, list[_Row]] = defaultdict(list)
        for fields in records:
            row = self._row(model, fields)
            slug = row.values.get("slug", "")
            pk, redirected = found.get(slug, (None, False))
            if redirected:
                self.result.kept[label] += 1  # the survivor's row is the editors'
            elif pk is None:
                inserts[slug] = row
            else:
                updates[pk].append(row)
        self._keep_corrected(model, updates)
        for slug, pk in self._write(model, inserts, updates).items():
            found[slug] = (pk, False)

    def _outlets(self, records) -> None:
        self._slugged(Outlet, records, self.outlets, self._outlet_ids)

    def _participants(self, records) -> None:
        self._slugged(Participant, records, self.participants, self._participant_ids)

    def _aliases(self, records) -> None:
        if not records:
            return
        self._participant_ids(_single_key(Participant, r.get("participant")) for r in records)
        keyed = []
        for fields in records:
            row = self._row(Alias, fields)
            row.values["participant_id"] = self._reference(
                self.participants, Participant, fields.get("participant")
            )
            keyed.append(((row.values["participant_id"], row.values.get("name", "")), row))
        stored = {
            (participant_id, name): (pk, key)
            for participant_id, name, pk, key in Alias.objects.using(self.using)
            .filter(
                participant_id__in={key[0] for key, _ in keyed},
                name__in={key[1] for key, _ in keyed},
            )
            .values_list("participant_id", "name", "pk", "key")
        }
        # An alias is its participant and name (its key follows from the name): one stored
        # as it is needs no write. Known people's labels come with every transcript.
        changed = [
            (key, row)
            for key, row in keyed
            if key not in stored or stored[key][1] != row.values.get("key")
        ]
        self.result.updated[Alias._meta.label_lower] += len(keyed) - len(changed)
        keyed = changed
        existing = {key: pk for key, (pk, _) in stored.items()}
        self._keyed(Alias, keyed, existing)

    def _keyed(self, model, keyed, existing: dict) -> tuple[dict, dict, set[int]]:
        inserts, updates = _split(keyed, existing)
        outlets_kept = self._keep_corrected(model, updates)
        created = self._write(model, inserts, updates)
        return created, updates, outlets_kept

    def _events(self, records) -> None:
        if not records:
            return
        self._event_ids(fields.get("slug") for fields in records)
        keyed = []
        for fields in records:
            row = self._row(Event, fields)
            keyed.append((row.values.get("slug", ""), row))
        existing = {slug: self.events[slug] for slug, _ in keyed if slug in self.events}
        created, _, _ = self._keyed(Event, keyed, existing)
        self.events.update(created)
        self.new_events.update(created.values())
        self.result.events.update((slug, self.events[slug]) for slug, _ in keyed)
        self.result.new_events.update(created.values())

    def _appearances(self, records) -> None:
        if not records:
            return
        self._event_ids(_single_key(Event, r.get("event")) for r in records)
        self._participant_ids(_single_key(Participant, r.get("participant")) for r in records)
        self._outlet_ids(
            _single_key(Outlet, key) for r in records for key in r.get("outlets") or []
        )
        keyed = []
        for fields in records:
            row = self._row(Appearance, fields)
            row.values["event_id"] = self._reference(self.events, Event, fields.get("event"))
            row.values["participant_id"] = self._reference(
                self.participants, Participant, fields.get("participant")
            )
            if "outlets" in fields:
                row.outlets = [
                    self._reference(self.outlets, Outlet, key) for key in fields["outlets"] or []
                ]
            keyed.append(((row.values["event_id"], row.values["participant_id"]), row))
        old_events = {key[0] for key, _ in keyed} - self.new_events
        existing = {}
        if old_events:
            existing = dict(
                ((event_id, participant_id), pk)
                for event_id, participant_id, pk in Appearance.objects.using(self.using)
                .filter(event_id__in=old_events, participant_id__in={key[1] for key, _ in keyed})
                .values_list("event_id", "participant_id", "pk")
            )
        created, updates, outlets_kept = self._keyed(Appearance, keyed, existing)
        wanted: dict[int, set[int]] = {}
        for key, row in keyed:
            pk = created.get(key) or existing.get(key)
            if row.outlets is not None and pk not in outlets_kept:
                wanted[pk] = set(row.outlets)  # the last record of a row wins, as set() does
        self._set_outlets(wanted, set(updates))

    def _set_outlets(self, wanted: dict[int, set[int]], updated: set[int]) -> None:
        through = Appearance.outlets.through
        manager = through.objects.using(self.using)
        have: dict[int, set[int]] = defaultdict(set)
        if updated & wanted.keys():
            rows = manager.filter(appearance_id__in=updated & wanted.keys())
            for appearance_id, outlet_id in rows.values_list("appearance_id", "outlet_id"):
                have[appearance_id].add(outlet_id)
        removed = Q()
        added = []
        for appearance_id, outlet_ids in wanted.items():
            gone = have[appearance_id] - outlet_ids
            if gone:
                removed |= Q(appearance_id=appearance_id, outlet_id__in=gone)
            added += [
                through(appearance_id=appearance_id, outlet_id=outlet_id)
                for outlet_id in sorted(outlet_ids - have[appearance_id])
            ]
        if removed:
            manager.filter(removed).delete()
        manager.bulk_create(added, batch_size=BATCH)

    # --- turns ----------------------------------------------------------------------------

    def _turns(self, records) -> None:
        if not records:
            return
        self._event_ids(_single_key(Event, r.get("event")) for r in records)
        self._event_ids(r["in_reply_to"][0] for r in records if r.get("in_reply_to"))
        self._participant_ids(
            _single_key(Participant, r["speaker"]) for r in records if r.get("speaker")
        )
        keyed = []
        for fields in records:
            row = self._row(Turn, fields)
            row.values["event_id"] = self._reference(self.events, Event, fields.get("event"))
            speaker = fields.get("speaker")
            row.values["speaker_id"] = (
                None
                if speaker is None
                else self._reference(self.participants, Participant, speaker)
            )
            row.values["in_reply_to_id"] = fields.get("in_reply_to")  # a natural key until resolved
            keyed.append(((row.values["event_id"], row.values.get("sequence")), row))

        event_ids = {key[0] for key, _ in keyed}
        # Turns copy their event's date as it now stands, an editor's correction included.
        dates = dict(
            Event.objects.using(self.using).filter(pk__in=event_ids).values_list("pk", "date")
        )
        for key, row in keyed:
            row.values["event_date"] = turn_order_date(dates.get(key[0]))
        replied = {self._turn_key(r["in_reply_to"]) for r in records if r.get("in_reply_to")}
        existing = self._existing_turns(event_ids - self.new_events, replied)
        frozen = self._structure_corrected(event_ids - self.new_events)
        if frozen:
            # An editor split or joined these events' turns: leave all of them alone.
            kept = [(key, row) for key, row in keyed if key[0] in frozen and key in existing]
            self.result.kept[Turn._meta.label_lower] += len(kept)
            keyed = [(key, row) for key, row in keyed if key[0] not in frozen]

        inserts, updates = _split(keyed, existing)
        self._keep_corrected(Turn, updates)
        self._copy_turns(inserts, updates, existing)

    def _turn_key(self, natural_key) -> tuple:
        event_slug, sequence = natural_key
        if event_slug not in self.events:
            raise DeserializationError(f"interviews.Turn: no event {event_slug!r}")
        return (self.events[event_slug], int(sequence))

    def _existing_turns(self, event_ids, replied) -> dict[tuple, int]:
        """(event id, sequence) -> id of the turns of these events, and of the questions
        answered here that belong to other events already stored."""
        wanted = Q(event_id__in=event_ids) if event_ids else Q()
        for event_id, sequence in replied:
            # A question of an event created by this load is among the rows inserted now.
            if event_id not in event_ids and event_id not in self.new_events:
                wanted |= Q(event_id=event_id, sequence=sequence)
        if not wanted:
            return {}
        rows = Turn.objects.using(self.using).filter(wanted).order_by()
        return {
            (event_id, sequence): pk
            for event_id, sequence, pk in rows.values_list("event_id", "sequence", "pk")
        }

    def _structure_corrected(self, event_ids) -> set[int]:
        if not event_ids:
            return set()
        rows = Correction.objects.using(self.using).filter(
            model=Event._meta.label_lower, object_id__in=event_ids, field=Correction.STRUCTURE
        )
        return set(rows.values_list("object_id", flat=True))

    def _resolve_replies(self, rows: Iterable[_Row], ids: dict[tuple, int]) -> None:
        """in_reply_to: a natural key -> the id of that turn (existing or new)."""
        for row in rows:
            key = row.values["in_reply_to_id"]
            if key is not None and not isinstance(key, int):
                target = ids.get(self._turn_key(key))
                if target is None:
                    raise DeserializationError(f"interviews.Turn: no turn {key!r} to reply to")
                row.values["in_reply_to_id"] = target

    def _copy_turns(self, inserts, updates, existing) -> None:
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if inserts:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Turn._meta.db_table, len(inserts)],
                )
                new_ids = [pk for (pk,) in cursor.fetchall()]
            else:
                new_ids = []
            ids = {**existing, **dict(zip(inserts, new_ids, strict=True))}
            self._resolve_replies(inserts.values(), ids)
            self._resolve_replies((rows[-1] for rows in updates.values()), ids)
            # The search vector is PostgreSQL's to generate.
            columns = [f for f in Turn._meta.concrete_fields if not f.generated]
            defaults = {f.attname: f.get_default() for f in columns if not f.primary_key}
            names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
            table = connection.ops.quote_name(Turn._meta.db_table)
            if inserts:
                # The driver's own COPY: its errors become Django's, as execute()'s do.
                with (
                    connection.wrap_database_errors,
                    cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
                ):
                    for pk, row in zip(new_ids, inserts.values(), strict=True):
                        values = {**defaults, **row.values}
                        copy.write_row(
                            [pk, *(values[f.attname] for f in columns if not f.primary_key)]
                        )
                self.result.created[Turn._meta.label_lower] += len(inserts)
        self._write(Turn, {}, updates)

    # --- the office table -------------------------------------------------------------------

    def _offices(self, offices, holders) -> None:
        """Offices by slug, their holders by (office, slug); corrected fields kept."""
        if not offices and not holders:
            return
        slugs = {fields.get("slug") for fields in offices}
        slugs |= {_single_key(Office, fields.get("office")) for fields in holders}
        manager = Office.objects.using(self.using)
        ids = dict(manager.filter(slug__in=slugs).values_list("slug", "pk"))
        keyed = [(fields.get("slug", ""), self._row(Office, fields)) for fields in offices]
        created, _, _ = self._keyed(Office, keyed, dict(ids))
        ids.update(created)
        keyed = []
        for fields in holders:
            row = self._row(OfficeHolder, fields)
            if not row.values.get("slug"):
                raise DeserializationError("interviews.OfficeHolder: records need their slug")
            row.values["office_id"] = self._reference(ids, Office, fields.get("office"))
            keyed.append(((row.values["office_id"], row.values["slug"]), row))
        stored = OfficeHolder.objects.using(self.using).filter(
            office_id__in={key[0] for key, _ in keyed}
        )
        existing = {
            (office, slug): pk for office, slug, pk in stored.values_list("office_id", "slug", "pk")
        }
        self._keyed(OfficeHolder, keyed, existing)


_RELATION = object()


def _split(keyed, existing: dict) -> tuple[dict[Any, _Row], dict[int, list[_Row]]]:
    """Records by natural key -> (new rows by key, stored rows' records by id)."""
    inserts: dict[Any, _Row] = {}
    updates: dict[int, list[_Row]] = defaultdict(list)
    for key, row in keyed:
        pk = existing.get(key)
        if pk is None:
            inserts[key] = row
        else:
            updates[pk].append(row)
    return inserts, updates


def _derive(model, values: dict) -> None:
    for target, source, function in DERIVED.get(model, ()):
        if source in values:
            values[target] = function(values[source])


def _single_key(model, key) -> str:
    """The slug in a one-part natural key (["slug"]); a malformed key is a DeserializationError."""
    if isinstance(key, list | tuple) and len(key) == 1 and isinstance(key[0], str):
        return key[0]
    raise DeserializationError(f"{model._meta.label}: malformed natural key {key!r}")


def _memoized(convert):
    cache: dict = {}

    def converted(value):
        if value not in cache:
            cache[value] = convert(value)
        return cache[value]

    return converted
