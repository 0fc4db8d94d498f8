"""Middleware every page shares."""

from django.shortcuts import render

from portal.params import BadParameter


class BadParameterMiddleware:
    """A query parameter no page can be built for is the client's error: 400 with the
    reason in Russian, instead of a 500 further down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            return render(request, "400.html", {"message": exception.message}, status=400)
        return None
