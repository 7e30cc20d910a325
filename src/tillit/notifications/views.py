from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.core.types import AuthenticatedRequest
from tillit.notifications import services
from tillit.notifications.models import Kind, Notification


@login_required
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("what") == "read":
            services.mark_read(person=request.user)
        else:
            valid = set(Kind.values)
            services.settings_save(
                person=request.user,
                choices={
                    kind: (f"{kind}-in_app" in request.POST, f"{kind}-email" in request.POST)
                    for kind in valid
                },
            )
            messages.success(request, _("Your choices have been saved."))
        return redirect("notifications:list")
    page = Paginator(Notification.objects.filter(person=request.user), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "settings": services.settings_for(request.user),
        "nav": "notifications",
        "query": "",
    }
    return render(request, "notifications/list.html", context)
