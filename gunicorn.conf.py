"""gunicorn settings of the portal: `gunicorn -c gunicorn.conf.py config.wsgi`.

The timeout is above the spreadsheet reader's limit (SPREADSHEET_READER_SECONDS, 20 s, plus
its 5 s of wall-clock margin) and the preview built after it, so gunicorn never kills a
worker that the reader is about to answer for (gunicorn's default is 30 s).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
