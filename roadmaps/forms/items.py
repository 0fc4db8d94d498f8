"""Forms of a measure: the evidence of its completion, its status and the units an authority
names responsible for its share of a collective measure."""

from __future__ import annotations

from django import forms

from portal import documents
from portal.locking import VersionFormMixin
from portal.widgets import style_widgets
from registry.models import Organization
from roadmaps.filters import DateInput
from roadmaps.models import ItemStatus, RoadmapItem

DEADLINE_MAX_LENGTH = RoadmapItem._meta.get_field("deadline_text").max_length


class EvidenceForm(forms.Form):
    document_type = forms.CharField(
        label="Вид документа",
        widget=forms.TextInput,
        help_text="По умолчанию — вид документа, который указан в плане.",
    )
    number = forms.CharField(label="Номер", required=False, max_length=100)
    date = forms.DateField(label="Дата", required=False, widget=DateInput())
    title = forms.CharField(label="Реквизиты / наименование", required=False)
    url = forms.URLField(label="Ссылка", required=False, max_length=500, assume_scheme="https")
    # The content is checked once, by services.items.add_evidence (portal.documents, empty
    # files too); EvidenceAddView puts its refusal on this field.
    file = forms.FileField(
        label="Файл",
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": documents.ACCEPT}),
    )

    def __init__(self, *args, named: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A measure naming several documents offers them by name (a <datalist>), one a time.
        self.named = named if named and len(named) > 1 else []
        if self.named:
            self.fields["document_type"].widget.attrs["list"] = "named-documents"
            self.fields[
                "document_type"
            ].help_text = "План называет несколько документов: добавьте каждый, выбрав его вид."
        self.fields["file"].help_text = documents.allowed_sentence()
        style_widgets(self, small=True)


class StatusForm(VersionFormMixin, forms.Form):
    """Carries the item's version (`versioned=item`): a status saved over a later change of
    the item is refused."""

    status = forms.ChoiceField(label="Статус", choices=ItemStatus.choices)
    reason = forms.CharField(label="Основание / комментарий", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class UnitsForm(VersionFormMixin, forms.Form):
    """The units of the share's authority, ticked (`choices`: services.collective.unit_choices).
    Any unit's id is accepted here and refused by services.collective.assign_units with the
    authority it must belong to, so the refusal names what is allowed."""

    units = forms.ModelMultipleChoiceField(
        label="Ответственные подразделения",
        queryset=Organization.objects.units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ничего не отмечено: за долю отвечает уполномоченное лицо органа власти.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].widget.choices = [(u.pk, u.full_name) for u in choices]
        style_widgets(self, small=True)
