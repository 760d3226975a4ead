"""gunicorn settings for the portal: `gunicorn -c config/gunicorn.conf.py
config.wsgi:application` (the command line's options still apply).

Before any worker starts, the master checks the settings (SECRET_KEY,
ALLOWED_HOSTS, ...) and that the database at DATABASE_URL answers; otherwise it
stops with one line naming the setting (config/startup.py), not a traceback per
worker.
"""

import os


def on_starting(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.startup import check_server_start

    check_server_start(database=True)
