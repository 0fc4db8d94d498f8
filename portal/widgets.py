"""Bootstrap classes on the widgets of a form or a filter form, and on fields with errors,
and the words of an empty choice, in one place."""

from django import forms

# Django's and django-filter's empty choice: never shown (issue 14).
DASHES = "---------"
# A filter's empty choice means "no filter"; a form's asks the user to choose.
ALL_CHOICES = "— все —"
CHOOSE = "— выберите —"


def _relabel_empty(field, label: str, only: str | None) -> None:
    """The empty choice ("") of a select reads `label`; with `only`, only if it read that
    (a form's own «не указано» stays)."""

    def wanted(text) -> bool:
        return only is None or str(text) == only

    if hasattr(field, "empty_label"):  # model choices, django-filter's: the query stays lazy
        if field.empty_label is not None and wanted(field.empty_label):
            field.empty_label = label
            if hasattr(field, "iterator") and not hasattr(field, "queryset"):
                # django-filter's ChoiceField: its widget's copy still reads the class's field
                field.choices = field.choices.choices
        return
    if isinstance(field, forms.ChoiceField):
        field.choices = [
            (value, label if value == "" and wanted(text) else text)
            for value, text in field.choices
        ]
    elif isinstance(getattr(field.widget, "choices", None), list | tuple):
        field.widget.choices = [
            (value, label if value == "" and wanted(text) else text)
            for value, text in field.widget.choices
        ]


def empty_choices(form, label: str = CHOOSE, only: str | None = DASHES) -> None:
    """Every select's empty choice of dashes (with `only=None`: every empty choice) reads
    `label`. style_widgets() and style_filters() call it; a form styled by hand calls it."""
    for field in form.fields.values():
        _relabel_empty(field, label, only)


def style_filters(form) -> None:
    """A filter panel: small widgets; every empty choice reads «— все —»."""
    style_widgets(form, small=True)
    empty_choices(form, ALL_CHOICES, only=None)


def style_widgets(form, small: bool = False) -> None:
    """Adds Bootstrap's class to every widget; `small` for the compact panels. An empty
    choice of dashes becomes the prompt «— выберите —»."""
    empty_choices(form)
    size = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # incl. checkbox lists
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = f"form-select form-select{size}" if small else "form-select"
        else:
            css = f"form-control form-control{size}" if small else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class BootstrapErrorsMixin:
    """Marks fields with errors so Bootstrap shows them in red next to their message."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def text_areas(rows: int, *names: str) -> dict:
    """A model form's `widgets` for text fields shown `rows` lines high."""
    return {name: forms.Textarea(attrs={"rows": rows}) for name in names}
