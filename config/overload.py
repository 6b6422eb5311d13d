"""Load shedding: a process past its capacity answers 503 at once rather than queueing.

Gunicorn's threaded workers (config/gunicorn.py) run more threads than the process may
serve requests at once (``ARCHIVE_MAX_IN_FLIGHT``). While every serving slot is taken,
the spare threads take the next connections from the queue and answer them with a
short 503 and Retry-After, without touching the database. Under a flood, readers so get
a quick answer (a page or "try again in a moment") instead of waiting behind thousands
of queued requests until their browser or the load balancer gives up; and the requests
being served keep their speed, since the work in the process stays bounded.
"""

import threading

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

# How long a refused client is asked to wait: a busy moment, not an outage.
RETRY_AFTER_SECONDS = 2
# How long a request waits for a slot before it is refused. A moment's wait absorbs the
# uneven spread of kept-alive connections over the processes (one process may hold five
# while another holds one) without refusing anybody; under a flood, refusals still come
# within a fraction of a second.
SLOT_WAIT_SECONDS = 0.05


class ShedLoadMiddleware:
    """Serves at most ``ARCHIVE_MAX_IN_FLIGHT`` requests at once; refuses the others."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.slots = threading.BoundedSemaphore(settings.ARCHIVE_MAX_IN_FLIGHT)
        # Rendered once: refusing must stay cheap however many requests are refused.
        self.overloaded_page = render_to_string("503.html")

    def __call__(self, request):
        if not self.slots.acquire(timeout=SLOT_WAIT_SECONDS):
            response = HttpResponse(self.overloaded_page, status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        try:
            return self.get_response(request)
        finally:
            self.slots.release()
