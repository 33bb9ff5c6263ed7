"""gunicorn's settings for every way the portal is served: the Dockerfile's CMD, docker-compose's web
service and the Procfile's web process (scripts/dev.py run) all start `gunicorn -c gunicorn.conf.py
config.wsgi:application`; only the address differs, through GUNICORN_BIND.

gthread workers: a long download (an open dataset streamed as CSV) holds a thread, not a whole
worker, and does not hit the sync worker's timeout. docs/running.md describes the layout.
"""

import os

# 0.0.0.0:8000 in the container; scripts/dev.py sets 127.0.0.1:$PORT.
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 120
# The control socket's default path ($HOME/.gunicorn/gunicorn.ctl) would be shared by every
# gunicorn of one account (two `dev.py run`, the test suite's servers); nothing uses it.
control_socket_disable = True
accesslog = "-"
