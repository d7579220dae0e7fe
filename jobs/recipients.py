"""Who is told: branch secretaries of the member's branch, reviewers of the committees above it."""
from accounts.models import User
from accounts.roles import Role
from organizations.choices import COMMITTEE_KINDS
from organizations.models import Organization

SECRETARY_OF_MEMBER = "member__organization__users"


def branch_secretaries_filter(prefix: str) -> dict:
    """Filter kwargs joining a queryset to the active branch secretaries at ``prefix`` (a users relation)."""
    return {f"{prefix}__role": Role.BRANCH_SECRETARY, f"{prefix}__is_active": True}


def path_and_ancestors(path: str) -> list[str]:
    """The tree path of an organization and of every organization above it."""
    steplen = Organization.steplen
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def committee_reviewers_above(*organizations):
    """Active reviewers of the committees at or above any of ``organizations`` (one query, however many)."""
    paths = {path for organization in organizations for path in path_and_ancestors(organization.path)}
    return User.objects.filter(role=Role.COMMITTEE_REVIEWER, is_active=True, organization__kind__in=COMMITTEE_KINDS,
                               organization__path__in=paths)
