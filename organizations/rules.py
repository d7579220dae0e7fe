"""Which kind of organization may sit under which (the tree's shape, as the Party's constitution builds it)."""
from organizations.choices import OrganizationKind as K

_COMMITTEE_CHILDREN = {K.GRASSROOTS_COMMITTEE, K.JOINT_COMMITTEE, K.GENERAL_BRANCH, K.BRANCH, K.TEMPORARY_BRANCH}
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    K.COUNTY_COMMITTEE: frozenset(set(K.values) - {K.COUNTY_COMMITTEE, K.PARTY_GROUP}),
    K.TOWN_COMMITTEE: frozenset(_COMMITTEE_CHILDREN),
    K.STREET_COMMITTEE: frozenset(_COMMITTEE_CHILDREN),
    K.GRASSROOTS_COMMITTEE: frozenset(_COMMITTEE_CHILDREN - {K.GRASSROOTS_COMMITTEE}),
    K.JOINT_COMMITTEE: frozenset(_COMMITTEE_CHILDREN - {K.GRASSROOTS_COMMITTEE, K.JOINT_COMMITTEE}),
    K.GENERAL_BRANCH: frozenset({K.BRANCH, K.TEMPORARY_BRANCH, K.PARTY_GROUP}),
    K.BRANCH: frozenset({K.PARTY_GROUP}),
    K.TEMPORARY_BRANCH: frozenset({K.PARTY_GROUP}),
    K.PARTY_GROUP: frozenset(),
}


def may_hold(parent_kind: str, child_kind: str) -> bool:
    return child_kind in ALLOWED_CHILDREN.get(parent_kind, frozenset())
