"""Who is told: branch secretaries of the member's branch, reviewers of the committees above it, and the
branch committee member in charge of a member away (支委包干)."""
from django.db.models import F

from accounts.models import User
from accounts.roles import Role
from organizations.choices import COMMITTEE_KINDS
from organizations.models import Organization

SECRETARY_OF_MEMBER = "member__organization__users"


def branch_secretaries_filter(prefix: str) -> dict:
    """Filter kwargs joining a queryset to the active branch secretaries at ``prefix`` (a users relation)."""
    return {f"{prefix}__role": Role.BRANCH_SECRETARY, f"{prefix}__is_active": True}


def committee_member_login_filter(member_prefix: str = "") -> tuple[dict, dict]:
    """Filter and exclude kwargs joining a member queryset to the login of the committee member in charge.

    A member has no login of its own; the committee member's login is the
    active login of the same branch whose mobile number is the committee
    member's (logins are imported with the phone number, which is also their
    default user name). A committee member without such a login gets nothing;
    the secretary is told all the same. Someone no longer marked as committee
    member is not in charge any more.
    """
    chief = f"{member_prefix}committee_member"
    users = f"{chief}__organization__users"
    return ({f"{chief}__is_committee_member": True, f"{users}__is_active": True,
             f"{users}__phone": F(f"{chief}__phone")},
            {f"{chief}__phone": ""})


def path_and_ancestors(path: str) -> list[str]:
    """The tree path of an organization and of every organization above it."""
    steplen = Organization.steplen
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def committee_reviewers_above(*organizations):
    """Active reviewers of the committees at or above any of ``organizations`` (one query, however many)."""
    paths = {path for organization in organizations for path in path_and_ancestors(organization.path)}
    return User.objects.filter(role=Role.COMMITTEE_REVIEWER, is_active=True, organization__kind__in=COMMITTEE_KINDS,
                               organization__path__in=paths)
