"""System checks of the portal's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, **kwargs):
    """Behind the reverse proxy whose X-Forwarded-Proto is trusted, a proxy count of 0 makes
    every client the proxy's address: django-axes would lock the login for everyone after
    LOGIN_FAILURE_LIMIT failures from anyone."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.TRUSTED_PROXY_COUNT <= 0:
        return [
            checks.Error(
                "SECURE_PROXY_SSL_HEADER trusts a reverse proxy, but DJANGO_TRUSTED_PROXY_COUNT "
                "is 0: every client is counted as the proxy's address, and a few wrong "
                "passwords lock the login for all users.",
                hint="Set DJANGO_TRUSTED_PROXY_COUNT to the number of proxies in front of "
                "gunicorn (1 for the deployment in README).",
                id="portal.E001",
            )
        ]
    return []
