from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    UNDERGRADUATE = "undergraduate", _("大学本科")
    JUNIOR_COLLEGE = "junior_college", _("大学专科")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR_HIGH_OR_BELOW = "junior_high_or_below", _("初中及以下")


class MembershipType(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class MobilityStatus(models.TextChoices):
    AT_HOME = "at_home", _("在家")
    OUTFLOW = "outflow", _("外出（流出）")
    INFLOW = "inflow", _("流入")
    RETURNED = "returned", _("已返回")


class MembershipStatus(models.TextChoices):
    """Where the member stands in the organization; changed only by a recorded decision."""

    ACTIVE = "active", _("在册")
    SUSPENDED = "suspended", _("停止党籍")
    LAPSED = "lapsed", _("自行脱党")
    REMOVED = "removed", _("除名")
    PROBATION_CANCELLED = "probation_cancelled", _("取消预备党员资格")
    TRANSFERRED_OUT = "transferred_out", _("组织关系已转出")
    DECEASED = "deceased", _("去世")


#: Members the organization still holds (a suspended member may still be restored or removed).
REGISTRY_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


class DecisionKind(models.TextChoices):
    """One change of a member's standing, each with the status it leads to (``members.rules``)."""

    SUSPEND = "suspend", _("停止党籍")
    RESTORE = "restore", _("恢复党籍")
    LAPSE = "lapse", _("按自行脱党处理")
    REMOVE = "remove", _("除名")
    FULL_MEMBERSHIP = "full_membership", _("按期转正")
    EXTEND_PROBATION = "extend_probation", _("延长预备期")
    CANCEL_PROBATION = "cancel_probation", _("取消预备党员资格")
    TRANSFER_OUT = "transfer_out", _("组织关系转出")
    DECEASED = "deceased", _("去世")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("支部已提出，待党(工)委审批")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回")


#: Statuses under which the member counts as mobile and needs all six facts.
MOBILE_STATUSES = (MobilityStatus.OUTFLOW, MobilityStatus.INFLOW)


class Trade(models.TextChoices):
    AGRICULTURE = "agriculture", _("农林牧渔业")
    MANUFACTURING = "manufacturing", _("制造业")
    CONSTRUCTION = "construction", _("建筑业")
    TRANSPORT = "transport", _("交通运输、仓储和邮政业")
    WHOLESALE_RETAIL = "wholesale_retail", _("批发和零售业")
    HOSPITALITY = "hospitality", _("住宿和餐饮业")
    IT = "it", _("信息传输、软件和信息技术服务业")
    FINANCE = "finance", _("金融业")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("卫生和社会工作")
    RESIDENT_SERVICES = "resident_services", _("居民服务、修理和其他服务业")
    PUBLIC_ADMIN = "public_admin", _("公共管理和社会组织")
    STUDY = "study", _("学习深造")
    OTHER = "other", _("其他")


class DestinationUnitKind(models.TextChoices):
    """Kind of unit the member went to (流向单位类别), as the national table 流动党员情况（二） counts it."""

    PARTY_GOVERNMENT = "party_government", _("党政机关")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    NON_PUBLIC_ENTERPRISE = "non_public_enterprise", _("非公有制企业")
    SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
    FLEXIBLE = "flexible", _("灵活就业/无固定单位")
    OTHER = "other", _("其他")


class FormerOccupation(models.TextChoices):
    """What the member did before leaving (原从事职业), as the national table counts it."""

    FARMER = "farmer", _("农牧渔民")
    WORKER = "worker", _("工人")
    ENTERPRISE_STAFF = "enterprise_staff", _("企事业单位管理和专业技术人员")
    CIVIL_SERVANT = "civil_servant", _("党政机关工作人员")
    STUDENT = "student", _("学生")
    RETIREE = "retiree", _("离退休人员")
    UNEMPLOYED = "unemployed", _("无固定职业")
    OTHER = "other", _("其他")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    VISIT = "visit", _("走访")
    ONLINE_MEETING = "online_meeting", _("线上会议")
    LETTER = "letter", _("信函")
    OTHER = "other", _("其他")
    #: The member sent something from their own page (portal): a successful contact on that day.
    SELF_REPORT = "self_report", _("党员本人报告")


class LifeKind(models.TextChoices):
    BRANCH_MEETING = "branch_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支部委员会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_CLASS = "party_class", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    DEMOCRATIC_REVIEW = "democratic_review", _("民主评议党员")
    OTHER = "other", _("其他")


class ExcuseKind(models.TextChoices):
    LEAVE = "leave", _("请假")
    ILLNESS = "illness", _("患病")
    EXEMPTION = "exemption", _("经批准免予参加")
    OTHER = "other", _("其他正当理由")


class DuesBracket(models.TextChoices):
    """Who pays what, per the 2008 dues rules (中组发〔2008〕3号)."""

    SALARIED = "salaried", _("在职（按月工资收入）")
    RETIRED = "retired", _("离退休（按离退休费）")
    FARMER = "farmer", _("农民")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("下岗失业")
    SUBSISTENCE = "subsistence", _("领取最低生活保障金")


class IdLookupPath(models.TextChoices):
    """The doors through which a user's input is matched against every ID number in the system."""

    MEMBER_CREATE = "member_create", _("新增党员")
    MEMBER_UPDATE = "member_update", _("修改党员")
    ROSTER_IMPORT = "roster_import", _("名册导入")
    INFLOW = "inflow", _("流入登记")


class IdLookupOutcome(models.TextChoices):
    PENDING = "pending", _("处理中")
    LINKED = "linked", _("按流出地审批的外出登记编入")
    CLAIM_SUBMITTED = "claim_submitted", _("证件核验通过，已提交认领申请")
    CREATED = "created", _("新建党员档案")
    REFUSED = "refused", _("未办理，已给出统一答复")
    INVALID = "invalid", _("填写有误，未办理")
    OVER_LIMIT = "over_limit", _("超出剩余次数，整个文件未导入")
    RATE_LIMITED = "rate_limited", _("超过次数限制，已拒绝")
