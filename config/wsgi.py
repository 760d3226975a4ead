import os

from django.core.wsgi import get_wsgi_application

from config.startup import check_server_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A missing or wrong setting (SECRET_KEY, ALLOWED_HOSTS, ...): one line on stderr
# and exit status 4, on which gunicorn stops instead of restarting workers. The
# database is checked once at gunicorn's start (config/gunicorn.conf.py), not
# here: a worker restarted while the database restarts must not stop the server.
check_server_start(database=False)
application = get_wsgi_application()
