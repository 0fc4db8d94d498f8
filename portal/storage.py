"""Where uploaded files are kept: Django's storage API, never a worker's disk.

`DJANGO_FILE_STORAGE=database` (the default) keeps the bytes in the portal's database
(django-dbfiles; a large file in parts, portal.filestore), so any web worker serves any file;
`DJANGO_FILE_STORAGE=s3` keeps them in an S3-compatible object storage (django-storages),
configured by the `DJANGO_S3_*` variables.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

DATABASE_BACKEND = "portal.filestore.DatabaseStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"

# variable → option of storages.backends.s3.S3Storage
S3_OPTIONS = {
    "DJANGO_S3_ENDPOINT_URL": "endpoint_url",
    "DJANGO_S3_REGION": "region_name",
    "DJANGO_S3_ACCESS_KEY_ID": "access_key",
    "DJANGO_S3_SECRET_ACCESS_KEY": "secret_key",
    "DJANGO_S3_PREFIX": "location",
    "DJANGO_S3_ADDRESSING_STYLE": "addressing_style",
    "DJANGO_S3_CA_BUNDLE": "verify",
}


def storage_from_env(environ: Mapping[str, str]) -> dict:
    """`STORAGES["default"]` for the environment (read by config.settings)."""
    kind = environ.get("DJANGO_FILE_STORAGE", "database").strip().lower() or "database"
    if kind == "database":
        return {"BACKEND": DATABASE_BACKEND}
    if kind != "s3":
        raise ImproperlyConfigured(f"DJANGO_FILE_STORAGE={kind!r}: expected 'database' or 's3'.")
    bucket = environ.get("DJANGO_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("DJANGO_FILE_STORAGE=s3 needs DJANGO_S3_BUCKET.")
    options = {
        "bucket_name": bucket,
        # Files are read through the portal's own view (permissions first), never by a
        # link to the bucket; objects get the bucket's default (private) ACL. A name is never
        # reused, so nothing is overwritten.
        "file_overwrite": False,
    }
    for variable, option in S3_OPTIONS.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
