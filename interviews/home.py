"""The landing page at /: what this is, where the API and its documentation are."""

from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from .models import Event, Participant, Turn


@require_safe
@cache_page(60)  # counting a million turns is not free; a minute-old count will do
def home(request):
    counts = {
        "events": Event.objects.count(),
        "turns": Turn.objects.count(),
        "participants": Participant.objects.count(),
    }
    return render(request, "interviews/home.html", counts)
