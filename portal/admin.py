import dbfiles.admin  # noqa: F401  (registers the page first: "dbfiles" is after "portal")
from dbfiles.models import DBFile
from django.contrib import admin

# Stored files are reached through the records they belong to (with those records' rights);
# the library's own page would list every file and delete them for good.
if admin.site.is_registered(DBFile):
    admin.site.unregister(DBFile)
