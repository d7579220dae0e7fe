from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from places.models import Division

RESULTS = 20


@login_required
@require_GET
def division_search(request):
    """Divisions for the picker: ``?q=`` by name (``杭州``), pinyin (``hangzhou``) or initials (``hz``);
    ``?parent=330100`` the counties of a city. Bigger places first."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:20]  # PostgreSQL refuses NUL in a query
    parent = request.GET.get("parent", "").strip()[:6]
    divisions = Division.objects.filter(selectable=True)
    if parent.isdigit():
        divisions = divisions.filter(Q(parent_id=parent) | Q(parent__parent_id=parent, parent__selectable=False))
    elif query.isascii() and query.isalpha():
        query = query.lower()
        divisions = divisions.filter(Q(pinyin__startswith=query) | Q(initials__startswith=query))
    elif query:
        divisions = divisions.filter(full_name__contains=query)
    else:
        divisions = divisions.none()
    rows = divisions.order_by("level", "code").values("code", "full_name", "level")[:RESULTS if not parent else 100]
    return JsonResponse({"results": [{"code": row["code"], "name": row["full_name"], "level": row["level"]}
                                     for row in rows]})
