"""Who is told: branch secretaries of the member's branch, reviewers of the committees above it."""
from accounts.models import User
from accounts.roles import Role

SECRETARY_OF_MEMBER = "member__organization__users"


def branch_secretaries_filter(prefix: str) -> dict:
    """Filter kwargs joining a queryset to the active branch secretaries at ``prefix`` (a users relation)."""
    return {f"{prefix}__role": Role.BRANCH_SECRETARY, f"{prefix}__is_active": True}


def committee_reviewers_above(organization):
    """Active committee reviewers of ``organization`` and every organization above it."""
    steplen = type(organization).steplen
    ancestor_paths = [organization.path[:end] for end in range(steplen, len(organization.path) + 1, steplen)]
    return User.objects.filter(role=Role.COMMITTEE_REVIEWER, is_active=True, organization__path__in=ancestor_paths)
