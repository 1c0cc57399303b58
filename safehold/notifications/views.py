"""A user's notices (opening the list marks them read) and their e-mail choices."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold.notifications import selectors, services
from safehold.notifications.forms import PreferencesForm

PAGE_SIZE = 50


def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    notices = list(page)
    # Shown as new on this page, read from now on.
    unread = {n.pk for n in notices if n.read_at is None}
    services.mark_read(user=request.user, notices=notices)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notices": notices, "unread": unread, "unread_count": len(unread)},
    )


def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.choose_email_kinds(user=request.user, kinds=form.cleaned_data["email_kinds"])
            messages.success(request, "Your e-mail choices have been saved")
            return redirect("notifications:list")
    else:
        form = PreferencesForm(initial={"email_kinds": sorted(selectors.email_kinds(request.user))})
    return render(request, "notifications/preferences.html", {"form": form})
