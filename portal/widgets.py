"""Bootstrap classes on the widgets of a form or a filter form, in one place."""

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
