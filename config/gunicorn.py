"""Gunicorn settings for the archive: ``gunicorn -c config/gunicorn.py config.wsgi``.

Every value can be overridden from the environment (gunicorn also reads GUNICORN_CMD_ARGS).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Pages are short database-bound requests; two processes per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threaded workers with twice as many threads as a process serves requests at once
# (ARCHIVE_MAX_IN_FLIGHT, 4): under a flood the spare threads answer the queued requests
# with a quick 503 and Retry-After (config/overload.py) instead of letting them wait.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Connections one worker holds open (in service, queued or kept alive) before the rest
# wait in the listen queue (backlog) of the socket.
worker_connections = 1000
backlog = 2048
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a large admin import may take a while
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# Access and error logs on standard output and error, like the application's own logs.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The load balancer in front terminates TLS; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"
