from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    COUNTY_COMMITTEE = "county_committee", _("县(市、区)委")
    TOWN_COMMITTEE = "town_committee", _("乡镇党委")
    STREET_COMMITTEE = "street_committee", _("街道党工委")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("基层党委")
    JOINT_COMMITTEE = "joint_committee", _("联合党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    TEMPORARY_BRANCH = "temporary_branch", _("临时党支部")
    PARTY_GROUP = "party_group", _("党小组")


#: Kinds that are grassroots committees: they issue activity cards and review
#: the quarterly reports of the branches below them.
COMMITTEE_KINDS = frozenset(
    {
        OrganizationKind.TOWN_COMMITTEE,
        OrganizationKind.STREET_COMMITTEE,
        OrganizationKind.GRASSROOTS_COMMITTEE,
        OrganizationKind.JOINT_COMMITTEE,
    }
)

#: Kinds that hold members' relationships (a member belongs to one of these).
MEMBER_HOLDING_KINDS = frozenset(
    {
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.BRANCH,
        OrganizationKind.TEMPORARY_BRANCH,
        OrganizationKind.PARTY_GROUP,
    }
)
