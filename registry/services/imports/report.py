"""The registry's import report: the portal's report (`portal.imports`) for one authority."""

from __future__ import annotations

from dataclasses import dataclass

from portal.imports import ACTION_LABELS, UNCHANGED, ImportReport, ImportRow

RowReport = ImportRow  # one row of the registry's file


@dataclass
class RegistryReport(ImportReport):
    authority_id: int = 0

    def text(self) -> str:
        """The report as the command line prints it."""
        lines = [
            f"Лист «{self.sheet_name}»: "
            + ", ".join(f"{ACTION_LABELS[a]} — {n}" for a, n in self.counts.items())
        ]
        lines += [f"Ошибка файла: {e}" for e in self.file_errors]
        for r in self.rows:
            if r.action == UNCHANGED:
                continue
            lines.append(f"Строка {r.row}, процесс «{r.identifier}»: {r.action_label}")
            lines += [
                f"    графа {c.column} «{c.header}»: «{c.old}» → «{c.new}»" for c in r.changes
            ]
            lines += [f"    ошибка: {e}" for e in r.errors]
            lines += [f"    внимание: {w}" for w in r.warnings]
        return "\n".join(lines)
