"""Reading the next rows while the caller writes the last ones: a generator of database rows run
in a thread of its own, with its own connection, a few batches ahead of its consumer.

The export of the whole registry waits for PostgreSQL about as long as it writes XLSX cells
(docs/benchmarks.md, "Session 9"): on two cores the database and the writer can work at the
same time. Only outside a transaction: a second connection does not see what the caller's
transaction has written, nor its snapshot (a publication writes the file its transaction
reads), so there the rows are read in line, as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from itertools import islice

from django.db import connections, transaction

BATCH = 2000  # rows handed over at a time: a queue operation per row would cost seconds
AHEAD = 2  # batches read and not yet taken: memory stays a few batches whatever the size

_DONE = object()


def read_ahead(rows: Callable[[], Iterable], using: str) -> Iterator:
    """The items of `rows()`, read by a thread ahead of the caller when the database allows
    (PostgreSQL, no transaction open on `using`), else in line."""
    db = connections[using]
    if db.vendor != "postgresql" or db.in_atomic_block:
        yield from rows()
        return
    handed: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    reader = threading.Thread(target=_read, args=(rows, using, handed, stop), daemon=True)
    reader.start()
    try:
        while (batch := handed.get()) is not _DONE:
            if isinstance(batch, BaseException):
                raise batch
            yield from batch
    finally:
        stop.set()  # the caller stopped early or failed: the reader ends at its next batch
        while reader.is_alive():
            with suppress(queue.Empty):
                handed.get(timeout=0.1)
        reader.join()


def _read(rows, using: str, handed: queue.Queue, stop: threading.Event) -> None:
    items = None
    try:
        with transaction.atomic(using=using):  # reads only: the transaction ends nothing
            with connections[using].cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")  # this transaction's only
            items = iter(rows())
            while not stop.is_set() and (batch := list(islice(items, BATCH))):
                _put(handed, batch, stop)
            if hasattr(items, "close"):
                items.close()  # its cursor closes inside the transaction it lives in
        _put(handed, _DONE, stop)
    except BaseException as error:  # the caller raises it in its own thread
        _put(handed, error, stop)
    finally:
        if hasattr(items, "close"):
            items.close()  # a generator stopped early closes its cursor
        connections.close_all()  # this thread's own connections only


def _put(handed: queue.Queue, item, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            handed.put(item, timeout=0.1)
            return
        except queue.Full:
            pass
