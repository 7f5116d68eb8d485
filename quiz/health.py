"""A liveness probe for load balancers and for the load benchmark's ceiling.

It touches neither the database nor the session, so it measures what the
server and the middleware cost on their own.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def health(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
