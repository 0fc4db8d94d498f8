"""django-tables2 asks inspect.signature() of a column's render_/value_ method (and of callable
attrs) for every cell it draws: about 250 times a registry page, 29 ms of a page of ~105 ms at
1M rows (docs/benchmarks.md). A function's parameters do not change, so they are read once per
function here; anything else (a partial, a callable object) goes to django-tables2's own.
Installed by PortalConfig.ready()."""

from __future__ import annotations

import functools
import inspect

from django_tables2 import utils

_uncached = utils.signature
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@functools.lru_cache(maxsize=4096)
def _parameters(func, bound: bool) -> tuple[tuple[str, ...], str | None]:
    parameters = list(inspect.signature(func, **utils.SIGNATURE_KWARGS).parameters.values())
    if bound and parameters and parameters[0].kind in _POSITIONAL:
        parameters = parameters[1:]  # self, as inspect.signature() of a bound method drops it
    args, keywords = [], None
    for parameter in parameters:
        if parameter.kind == parameter.VAR_KEYWORD:
            keywords = parameter.name
        elif parameter.kind != parameter.VAR_POSITIONAL:
            args.append(parameter.name)
    return tuple(args), keywords


def signature(fn):
    """django_tables2.utils.signature(), remembered per function."""
    if inspect.ismethod(fn) and inspect.isfunction(fn.__func__):
        return _parameters(fn.__func__, True)
    if inspect.isfunction(fn):
        return _parameters(fn, False)
    return _uncached(fn)


def install() -> None:
    utils.signature = signature
