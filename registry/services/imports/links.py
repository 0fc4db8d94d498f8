"""Column 12 of the registry's file: "[Орган: ]идентификатор (тип)" entries -> links to rows of
the file, of the authority's registry or of another authority's registry."""

from __future__ import annotations

import re

from portal.imports import ImportRow
from registry.models import LinkType, Organization, Process, normalize_identifier
from registry.services.imports.catalogue import authority_names, key
from registry.services.row_values import add_kept_links, foreign_link_values

# One entry of column 12 is at most this long (an authority's name, an identifier, a type).
LINK_MAX_CHARS = 1000
LINK_TYPES = {"предшествующий": LinkType.PREDECESSOR, "последующий": LinkType.SUCCESSOR}
OPPOSITE = {LinkType.PREDECESSOR: LinkType.SUCCESSOR, LinkType.SUCCESSOR: LinkType.PREDECESSOR}


def parse_link(piece: str) -> tuple[str | None, str, str] | None:
    """ "[Орган: ]идентификатор (тип)" -> (authority or None, identifier, type), or None.

    What the regex ^(?:(.+?)\\s*:\\s*)?([^():]+?)\\s*\\(([^()]+)\\)$ matched, by partition:
    that regex backtracked cubically on "a:" + spaces + "(b" (20 s for 3 000 spaces)."""
    if len(piece) > LINK_MAX_CHARS or not piece.endswith(")"):
        return None
    head, bracket, link_type = piece[:-1].rpartition("(")
    if not bracket or not link_type or ")" in link_type:
        return None
    authority, colon, identifier = head.rpartition(":")
    if colon:
        if not authority or "\n" in authority:
            return None
        authority = authority.rstrip() or authority[:1]
    else:
        authority = None
    if not identifier or "(" in identifier or ")" in identifier:
        return None
    identifier = (identifier.strip() if colon else identifier.rstrip()) or identifier[:1]
    return authority, identifier, link_type


class LinkResolver:
    """Resolves column 12 of every entry of one file (`values["links_text"]` ->
    `values["links"]`: sorted [type, authority id, identifier])."""

    def __init__(self, authority: Organization, in_file: dict[str, int], existing: dict):
        self.authority = authority
        self.in_file = in_file  # identifier -> row number
        self.existing = existing  # identifier -> the authority's Process
        self.authority_names = authority_names()
        self._foreign_rows: dict[int, set[str]] = {}

    def resolve_all(self, entries: list[ImportRow]) -> None:
        for entry in entries:
            self.resolve(entry)
        self.add_implied(entries)
        self.keep_foreign(entries)

    def resolve(self, entry: ImportRow) -> None:
        links = []
        for piece in re.split(r"[;\n]", entry.values.pop("links_text", "")):
            piece = piece.strip()
            if not piece:
                continue
            match = parse_link(piece)
            link_type = LINK_TYPES.get(key(match[2])) if match else None
            if match is None or link_type is None:
                shown = piece if len(piece) <= 200 else piece[:200] + "…"
                entry.errors.append(
                    f"Графа 12: «{shown}» не читается. Пишите «идентификатор (предшествующий)» или "
                    "«идентификатор (последующий)», через точку с запятой; для процесса другого "
                    "органа власти — «Наименование органа: идентификатор (тип)»."
                )
                continue
            authority_text, identifier, _ = match
            link = self._target(entry, authority_text, normalize_identifier(identifier))
            if link is not None:
                links.append([link_type, *link])
        entry.values["links"] = sorted(links)

    def _target(self, entry, authority_text: str | None, target: str):
        """[authority id, identifier] of the row linked to, or None with the error noted."""
        if authority_text:
            candidates = self.authority_names.get(key(authority_text), [])
            if len(candidates) != 1:
                entry.errors.append(
                    f"Графа 12: орган власти «{authority_text}» не найден."
                    if not candidates
                    else f"Графа 12: «{authority_text}» — так называются несколько органов "
                    "власти, укажите полное наименование: "
                    + "; ".join(f"«{o.full_name}»" for o in candidates)
                    + "."
                )
                return None
            other = candidates[0]
        else:
            other = self.authority
        if other.pk == self.authority.pk:
            known = target in self.in_file or target in self.existing
            if target == entry.identifier:
                entry.errors.append("Графа 12: процесс не может быть связан сам с собой.")
                return None
        else:
            known = self._foreign_row_exists(other.pk, target)
        if not known:
            entry.errors.append(
                f"Графа 12: процесса с идентификатором «{target}» нет ни в файле, ни в реестре "
                f"«{other.display_name}»."
            )
            return None
        return [other.pk, target]

    def add_implied(self, entries: list[ImportRow]) -> None:
        """A link written on one row of the file holds for the other row of the file too
        ("2 (последующий)" on row 1 is "1 (предшествующий)" on row 2), as on the portal."""
        by_identifier = {e.identifier: e for e in entries if e.identifier}
        for entry in entries:
            for link_type, authority_id, identifier in list(entry.values.get("links", [])):
                other = by_identifier.get(identifier)
                if authority_id != self.authority.pk or other is None:
                    continue
                reverse = [OPPOSITE[link_type], authority_id, entry.identifier]
                if reverse not in other.values.setdefault("links", []):
                    other.values["links"] = sorted([*other.values["links"], reverse])

    def keep_foreign(self, entries: list[ImportRow]) -> None:
        """Links another authority entered stay whatever the file says (only their owner
        removes them), so they are part of what the row will be."""
        existing = self.existing
        by_pk = {existing[e.identifier].pk: e for e in entries if e.identifier in existing}
        for pk, kept in foreign_link_values(by_pk).items():
            entry = by_pk[pk]
            if entry.errors:
                continue
            links = entry.values.setdefault("links", [])
            for link in kept:
                if link not in links:
                    entry.warnings.append(
                        f"Графа 12: связь с процессом «{link[2]}» внес другой орган власти; "
                        "она сохранится."
                    )
            entry.values["links"] = add_kept_links(entry.values, kept)["links"]

    def _foreign_row_exists(self, authority_id: int, identifier: str) -> bool:
        if authority_id not in self._foreign_rows:
            self._foreign_rows[authority_id] = set(
                Process.objects.filter(authority_id=authority_id).values_list(
                    "identifier", flat=True
                )
            )
        return identifier in self._foreign_rows[authority_id]
