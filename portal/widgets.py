"""Bootstrap classes on the widgets of a form or a filter form, and on fields with errors,
in one place."""

from django import forms


def style_widgets(form, small: bool = False) -> None:
    """Adds Bootstrap's class to every widget; `small` for the compact filter panels."""
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
