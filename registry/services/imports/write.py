"""The confirmed rows of a registry file written: new and changed rows, their placement points
(column 14), their history states and their links (column 12) — inside the caller's
transaction, refused when a row changed since the preview."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from portal.imports import CHANGED, ImportRefused, ImportReport, ImportRow
from registry.columns import COLUMN_FIELDS
from registry.models import (
    LifeSituation,
    LinkType,
    Organization,
    Process,
    ProcessGroup,
    ProcessKind,
    ProcessLink,
    ReengineeringStatus,
    TypicalProcess,
    normalize_text,
)
from registry.models.processes import STORED_SORT_KEYS
from registry.services import processes as process_service
from registry.services import sort_keys
from registry.services.recording import record_states

# Written as the file says them (the identifier matched the row: a file never changes it).
COPIED = (
    "function_name",
    "client",
    "regulating_act",
    "is_non_typical",
    "process_name",
    "responsible",
    "input_data",
    "output_data",
    "placement_url",
)
# Rows written per step of an apply (one progress report each); 2 000 keeps the statements'
# count near what one step took (bulk_create already splits by 1 000).
WRITE_CHUNK = 2000
UPDATED = (
    "version",
    "updated_by",
    "updated_at",
    "search_text",
    "name_search_text",
    *STORED_SORT_KEYS,
)


class RegistryWriter:
    def __init__(self, authority: Organization, user=None, default_unit=None):
        self.authority = authority
        self.user = user
        self.default_unit = default_unit

    def write(
        self, report: ImportReport, rows: list[ImportRow], reason: str, progress=None
    ) -> None:
        """Call inside a transaction: the changed rows are locked until it ends. Rows are
        written in chunks, `progress(done, total)` after each (a job's bar); the links of
        column 12 last, once every row they name is there."""
        locked = self._lock(report, rows)
        situations = self._life_situations(rows)
        edition = self.authority.edition
        # the entries themselves: a row copies their catalogue order (its sort keys)
        catalogue = {
            "typical_process": TypicalProcess.objects.filter(group__edition=edition).select_related(
                "group"
            ),
            "group": ProcessGroup.objects.filter(edition=edition),
            "status": ReengineeringStatus.objects.filter(edition=edition),
            "kind": ProcessKind.objects.filter(edition=edition),
        }
        entries = {name: {e.pk: e for e in qs} for name, qs in catalogue.items()}
        now = timezone.now()
        written = []
        for start in range(0, len(rows), WRITE_CHUNK):
            chunk = rows[start : start + WRITE_CHUNK]
            written += self._write_chunk(chunk, locked, situations, entries, now, reason)
            if progress is not None:
                progress(start + len(chunk), len(rows))
        self._write_links(written)
        # the entries as they are now: a reorder may have been committed while this wrote
        sort_keys.rederive(process.pk for process, _ in written)

    def _write_chunk(self, rows, locked, situations, entries, now, reason) -> list:
        created, updated = [], []
        for r in rows:
            process = self._process(r, locked, situations, entries)
            process.updated_by = self.user
            process.updated_at = now
            process.prepare_for_save()
            (updated if r.action == CHANGED else created).append((process, r))
        Process.objects.bulk_create([p for p, _ in created], batch_size=1000)
        if updated:
            for p, _ in updated:
                p.version += 1
            fields = [name for name in COLUMN_FIELDS if name != "identifier"]
            Process.objects.bulk_update(
                [p for p, _ in updated], [*fields, *UPDATED, "identifier_number"], batch_size=1000
            )
        self._write_placements(created + updated)
        self._record_history([p for p, _ in created], reason, update=False)
        self._record_history([p for p, _ in updated], reason, update=True)
        return created + updated

    def _lock(self, report: ImportReport, rows: list[ImportRow]) -> dict[int, Process]:
        existing_ids = [r.values["existing_pk"] for r in rows if r.action == CHANGED]
        locked = {
            p.pk: p
            # of=("self",): PostgreSQL locks no rows on the nullable side of an outer join.
            for p in Process.objects.select_for_update(of=("self",))
            .filter(pk__in=existing_ids)
            .select_related("life_situation", "typical_process")
        }
        for r in rows:
            if (
                r.action == CHANGED
                and locked[r.values["existing_pk"]].version != r.values["existing_version"]
            ):
                raise ImportRefused(
                    f"Процесс «{r.identifier}» изменен после предпросмотра.", report
                )
        return locked

    @staticmethod
    def _life_situations(rows: list[ImportRow]) -> dict[str, LifeSituation]:
        wanted = {
            normalize_text(r.values["life_situation"]): r.values["life_situation"]
            for r in rows
            if r.values["life_situation"]
        }
        LifeSituation.objects.bulk_create(
            [LifeSituation(name=name, normalized_name=k) for k, name in wanted.items()],
            ignore_conflicts=True,  # the ones that exist already stay as they are
        )
        found = LifeSituation.objects.filter(normalized_name__in=wanted)
        return {s.normalized_name: s for s in found}

    def _process(self, r: ImportRow, locked, situations, entries) -> Process:
        v = r.values
        process = (
            locked[v["existing_pk"]]
            if r.action == CHANGED
            else Process(
                authority=self.authority,
                unit=self.default_unit,
                created_by=self.user,
                identifier=v["identifier"],
            )
        )
        process.life_situation = (
            situations.get(normalize_text(v["life_situation"])) if v["life_situation"] else None
        )
        for name in COPIED:
            setattr(process, name, v[name])
        for name, by_pk in entries.items():
            pk = v[f"{name}_id"]
            setattr(process, name, by_pk.get(pk))
            setattr(process, f"{name}_id", pk)  # an entry of another edition stays as read
        return process

    def _record_history(self, processes, reason: str, update: bool) -> None:
        """One history state per written row, column 14 included."""
        record_states(Process, [p.pk for p in processes], self.user, reason, "~" if update else "+")

    def _write_placements(self, pairs) -> None:
        through = Process.placement_points.through
        through.objects.filter(process_id__in=[p.pk for p, _ in pairs]).delete()
        through.objects.bulk_create(
            [
                through(process_id=p.pk, placementpoint_id=point)
                for p, r in pairs
                for point in r.values["placement_point_ids"]
            ],
            batch_size=2000,
        )

    def _wanted_links(self, pairs) -> set[tuple[int, int]]:
        """(predecessor pk, successor pk) of every link column 12 of the written rows names."""
        ids = {
            p.identifier: p.pk
            for p in Process.objects.filter(authority=self.authority).only("pk", "identifier")
        }
        foreign: dict[int, dict[str, int]] = {}
        wanted: set[tuple[int, int]] = set()
        for process, r in pairs:
            for link_type, authority_id, identifier in r.values["links"]:
                if authority_id == self.authority.pk:
                    other = ids[identifier]
                else:
                    if authority_id not in foreign:
                        foreign[authority_id] = dict(
                            Process.objects.filter(authority_id=authority_id).values_list(
                                "identifier", "pk"
                            )
                        )
                    other = foreign[authority_id][identifier]
                wanted.add(
                    (other, process.pk)
                    if link_type == LinkType.PREDECESSOR
                    else (process.pk, other)
                )
        return wanted

    def _write_links(self, pairs) -> None:
        wanted = self._wanted_links(pairs)
        touched_rows = {p.pk for p, _ in pairs}
        existing = {
            (link.predecessor_id, link.successor_id): link
            for link in ProcessLink.objects.filter(
                Q(predecessor_id__in=touched_rows) | Q(successor_id__in=touched_rows)
            )
        }
        # Column 12 of a written row is what the file says; links another authority entered
        # stay, as they do when the row is edited on the portal.
        removed = [
            link
            for pair, link in existing.items()
            if pair not in wanted and link.owner_authority_id == self.authority.pk
        ]
        process_service.remove_links(removed, self.user)
        added = [pair for pair in wanted if pair not in existing]
        process_service.create_links(added, self.authority.pk, self.user)
        others = {x for pair in added for x in pair}
        others |= {x for link in removed for x in (link.predecessor_id, link.successor_id)}
        others -= touched_rows
        if others:
            Process.objects.filter(pk__in=others).update(version=F("version") + 1)
