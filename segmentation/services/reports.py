"""The segmentation reports the roadmaps' measures name as their documents (seeds 000 and
002): the satisfaction report «по каждой группе процессов … включающий перечень выявленных
проблем», the segmentation report with the profiles attached (each in the form of appendix
№ 2 to 329-рп), and the list of touchpoints. Built from the records the user sees (in force,
not archived), one section per authority, as portal.reports shows and writes them; each
costs a fixed number of queries."""

from __future__ import annotations

import re
from collections import defaultdict

from portal.reports import Report, Section
from registry.models import Process, ProcessGroup

SATISFACTION_TITLE = (
    "Отчет об уровне удовлетворенности клиентов по каждой группе процессов, включающий "
    "перечень выявленных проблем"
)
SEGMENTATION_TITLE = "Отчет о проведении сегментации клиентов"
TOUCHPOINTS_TITLE = "Перечень точек взаимодействия с клиентом"
NOT_ASSESSED = "оценка не проводилась"
BULLET = re.compile(r"^\s*(?:[-–—•*]|\d+[.)])\s*")


def group_of(record) -> ProcessGroup | None:
    return record.group or (record.process.group if record.process_id else None)


def service_text(record) -> str:
    return f"{record.process.identifier}. {record.process.name}" if record.process_id else ""


def by_authority(records) -> dict:
    grouped = defaultdict(list)
    for record in records:
        grouped[record.authority].append(record)
    return dict(sorted(grouped.items(), key=lambda pair: pair[0].full_name))


def problem_lines(text: str) -> list[str]:
    """ "- очереди\n- нет записи онлайн" -> ["очереди", "нет записи онлайн"]."""
    return [BULLET.sub("", line).strip() for line in text.splitlines() if line.strip()]


def registry_groups(authorities) -> dict[int, set[int]]:
    """The process groups of each authority's registry rows in force (one query)."""
    pairs = (
        Process.objects.filter(authority__in=authorities, is_excluded=False, group__isnull=False)
        .values_list("authority_id", "group_id")
        .distinct()
    )
    groups: dict[int, set[int]] = defaultdict(set)
    for authority_id, group_id in pairs:
        groups[authority_id].add(group_id)
    return groups


def percent_text(value) -> str:
    """Decimal("80.00") -> "80", Decimal("87.50") -> "87,5"."""
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def assessment_row(group_name: str, a) -> list:
    return [
        group_name,
        service_text(a),
        f"{a.period_start:%d.%m.%Y}–{a.period_end:%d.%m.%Y}",
        a.method,
        a.sample_size,
        percent_text(a.satisfied_share),
        a.result,
        a.problems,
        a.actions,
    ]


def satisfaction_report(assessments) -> Report:
    """Per authority: each process group with its assessments (a group of its registry with
    none: «оценка не проводилась»), then the list of the problems found, by group."""
    grouped = by_authority(
        assessments.select_related(
            "authority", "group", "process__group", "process__typical_process"
        )
    )
    in_registry = registry_groups(list(grouped))
    catalogue = ProcessGroup.objects.in_bulk({g for ids in in_registry.values() for g in ids})
    sections = []
    for authority, records in grouped.items():
        per_group = defaultdict(list)
        for record in records:
            per_group[group_of(record)].append(record)
        for group_id in in_registry.get(authority.pk, ()):
            per_group.setdefault(catalogue[group_id], [])
        rows, problems = [], []
        for group in sorted(per_group, key=lambda g: (g is None, g.order if g else 0, str(g))):
            name = str(group) if group else "Группа не указана"
            if not per_group[group]:
                rows.append([name, "", "", NOT_ASSESSED, "", "", "", "", ""])
            for a in per_group[group]:
                rows.append(assessment_row(name, a))
                problems += [[name, line, str(a)] for line in problem_lines(a.problems)]
        sections.append(
            Section(
                f"{authority.full_name}: оценка удовлетворенности по группам процессов",
                [
                    "Группа процессов",
                    "Услуга (строка реестра)",
                    "Период",
                    "Метод оценки",
                    "Размер выборки",
                    "Доля удовлетворенных, %",
                    "Результат оценки",
                    "Выявленные проблемы",
                    "Принятые меры",
                ],
                rows,
                widths=[30, 30, 22, 24, 10, 12, 40, 40, 40],
            )
        )
        sections.append(
            Section(
                f"{authority.full_name}: перечень выявленных проблем",
                ["Группа процессов", "Проблема", "Оценка"],
                problems,
                note="" if problems else "Проблемы не выявлены.",
                widths=[30, 60, 40],
            )
        )
    return Report(SATISFACTION_TITLE, sections=sections, empty="Оценок удовлетворенности нет.")


PROFILE_HEADER = [
    "№",
    "Профиль клиентского сегмента",
    "Направление деятельности",
    "Клиенты",
    "Группы процессов",
    "Услуги (строки реестра)",
    "Признаков сегментации",
]


def profile_form(number: int, profile) -> Section:
    """A profile attached to the report in the form of appendix № 2 (its own XLSX sheet)."""
    rows = [
        ["1. Наименование направления деятельности органа власти", "", profile.direction],
        ["2. Профиль клиентского сегмента", "", profile.name],
        ["3. Признаки клиентского сегмента", "", ""],
    ]
    rows += [[str(a.number), a.attribute, a.value] for a in profile.attributes.all()]
    rows += [
        ["4. Особенности клиентского пути", "", profile.path_features],
        ["5. Предпочтительные каналы взаимодействия", "", profile.channels],
    ]
    return Section(
        f"Приложение {number}. Форма профиля клиентского сегмента: {profile.name} "
        f"({profile.authority.full_name})",
        ["№ п/п", "Признак сегментации", "Значение сегмента"],
        rows,
        sheet=f"Приложение {number}",
        widths=[40, 40, 60],
    )


def segmentation_report(profiles) -> Report:
    """Per authority, its profiles (direction, clients, groups and services); then every
    profile attached in the form of appendix № 2."""
    grouped = by_authority(
        profiles.select_related("authority").prefetch_related(
            "attributes", "groups", "processes__typical_process"
        )
    )
    sections, attached, number = [], [], 0
    for authority, records in grouped.items():
        rows = []
        for profile in records:
            number += 1
            rows.append(
                [
                    f"Приложение {number}",
                    profile.name,
                    profile.direction,
                    profile.get_client_kind_display(),
                    "; ".join(str(g) for g in profile.groups.all()),
                    "; ".join(f"{p.identifier}. {p.name}" for p in profile.processes.all()),
                    len(profile.attributes.all()),
                ]
            )
            attached.append(profile_form(number, profile))
        sections.append(
            Section(
                f"{authority.full_name}: профили клиентских сегментов",
                PROFILE_HEADER,
                rows,
                widths=[14, 40, 40, 14, 40, 40, 12],
            )
        )
    return Report(
        SEGMENTATION_TITLE, sections=sections + attached, empty="Профилей клиентских сегментов нет."
    )


def touchpoint_report(touchpoints) -> Report:
    """Per authority: each touchpoint with its group, service, channel and place."""
    grouped = by_authority(
        touchpoints.select_related(
            "authority", "group", "process__group", "process__typical_process"
        )
    )
    sections = []
    for authority, records in grouped.items():
        records.sort(key=lambda t: (group_of(t) is None, getattr(group_of(t), "order", 0), t.pk))
        rows = [
            [
                str(group_of(t) or ""),
                service_text(t),
                t.get_channel_display(),
                t.place,
                t.description,
            ]
            for t in records
        ]
        sections.append(
            Section(
                f"{authority.full_name}: точки взаимодействия",
                [
                    "Группа процессов",
                    "Услуга (строка реестра)",
                    "Канал взаимодействия",
                    "Место или информационная система",
                    "Что происходит в точке контакта",
                ],
                rows,
                widths=[30, 36, 24, 36, 50],
            )
        )
    return Report(TOUCHPOINTS_TITLE, sections=sections, empty="Точек взаимодействия нет.")
