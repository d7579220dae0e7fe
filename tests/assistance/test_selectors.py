from datetime import timedelta

from django.utils import timezone

from assistance.choices import DifficultyKind, HelpSource
from assistance.selectors import open_help_request_count, open_requests_by_age
from assistance.services import open_help_request, resolve_help_request


def _open(member, by, days_ago):
    return open_help_request(member=member, kind=DifficultyKind.JOB, text="找工作", source=HelpSource.CONTACT, by=by,
                             opened_on=timezone.localdate() - timedelta(days=days_ago))


def test_open_requests_by_age_and_count_are_scoped(member_a1, member_b1, secretary_a1, secretary_b1, reviewer_a,
                                                   county_admin, django_assert_max_num_queries):
    today = timezone.localdate()
    for days in (0, 6, 7, 30, 31, 200):
        _open(member_a1, secretary_a1, days)
    solved = _open(member_a1, secretary_a1, 40)
    resolve_help_request(request=solved, solved_on=today, outcome="已解决", by=secretary_a1)
    _open(member_b1, secretary_b1, 1)
    with django_assert_max_num_queries(1):
        assert open_requests_by_age(reviewer_a, today) == {"under_7": 2, "7_to_30": 2, "over_30": 2}
    assert open_help_request_count(secretary_a1) == 6
    assert open_help_request_count(reviewer_a) == 6
    assert open_help_request_count(secretary_b1) == 1
    assert open_help_request_count(county_admin) == 7
