import pytest
from django.urls import reverse

from members import dues
from members.models import Member, PersonalDataAccess
from tests.factories import AwayMemberFactory, MemberFactory


@pytest.fixture
def member_a1(tree):
    return AwayMemberFactory(organization=tree.branch_a1)


@pytest.fixture
def member_b1(tree):
    return AwayMemberFactory(organization=tree.branch_b1)


def _post_data(member, **overrides):
    data = {
        "name": member.name, "gender": member.gender, "id_number": member.id_number,
        "birth_date": member.birth_date.isoformat(), "education": member.education,
        "joined_date": member.joined_date.isoformat(), "membership_type": member.membership_type,
        "probation_end_date": "", "organization": member.organization_id,
        "mobility_status": member.mobility_status,
        "departure_date": member.departure_date.isoformat() if member.departure_date else "",
        "expected_months": member.expected_months or "", "occupation": member.occupation, "trade": member.trade,
        "destination_division": member.destination_division_id or "", "abroad_country": member.abroad_country_id or "",
        "destination_city": member.destination_city,
        "destination_address": member.destination_address, "host_unit": member.host_unit,
        "phone": member.phone, "other_contact": "", "liaison": "",
        "dues_start_month": member.dues_start_month.strftime("%Y-%m") if member.dues_start_month else "",
        "dues_paid_where": "", "version": member.version,
    }
    data.update(overrides)
    return data


# --- login required everywhere -------------------------------------------------

@pytest.mark.parametrize("name, needs_pk", [
    ("dashboard", False), ("members:list", False), ("members:create", False), ("members:detail", True),
    ("members:update", True), ("members:delete", True), ("organizations:list", False),
])
def test_anonymous_is_sent_to_login(client, member_a1, name, needs_pk):
    url = reverse(name, args=[member_a1.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# --- scoping from the attacker's side --------------------------------------------

@pytest.mark.parametrize("name", ["members:detail", "members:update", "members:delete"])
def test_other_branch_member_is_404_for_read(client, secretary_a1, member_b1, name):
    client.force_login(secretary_a1)
    assert client.get(reverse(name, args=[member_b1.pk])).status_code == 404


def test_other_branch_member_cannot_be_edited(client, secretary_a1, member_b1):
    client.force_login(secretary_a1)
    response = client.post(reverse("members:update", args=[member_b1.pk]), _post_data(member_b1, name="改名"))
    assert response.status_code == 404
    member_b1.refresh_from_db()
    assert member_b1.name != "改名"


def test_other_branch_member_cannot_be_deleted(client, secretary_a1, member_b1):
    client.force_login(secretary_a1)
    assert client.post(reverse("members:delete", args=[member_b1.pk])).status_code == 404
    assert Member.objects.filter(pk=member_b1.pk).exists()


def test_cannot_move_a_member_into_another_subtree(client, secretary_a1, member_a1, tree):
    client.force_login(secretary_a1)
    response = client.post(reverse("members:update", args=[member_a1.pk]),
                           _post_data(member_a1, organization=tree.branch_b1.pk))
    assert response.status_code == 200
    member_a1.refresh_from_db()
    assert member_a1.organization_id == tree.branch_a1.pk


def test_list_shows_only_own_subtree(client, secretary_a1, member_a1, member_b1):
    client.force_login(secretary_a1)
    response = client.get(reverse("members:list"))
    assert list(response.context["page_obj"]) == [member_a1]


def test_committee_sees_its_branches_not_the_other_town(client, reviewer_a, member_a1, member_b1, tree):
    other = AwayMemberFactory(organization=tree.branch_a2)
    client.force_login(reviewer_a)
    response = client.get(reverse("members:list"))
    assert set(response.context["page_obj"]) == {member_a1, other}
    assert client.get(reverse("members:detail", args=[member_b1.pk])).status_code == 404


# --- role permissions ---------------------------------------------------------------

def test_reviewer_may_read_but_not_write(client, reviewer_a, member_a1):
    client.force_login(reviewer_a)
    assert client.get(reverse("members:detail", args=[member_a1.pk])).status_code == 200
    assert client.get(reverse("members:update", args=[member_a1.pk])).status_code == 403
    assert client.get(reverse("members:create")).status_code == 403
    assert client.post(reverse("members:delete", args=[member_a1.pk])).status_code == 403


def test_right_user_gets_every_page(client, secretary_a1, member_a1):
    client.force_login(secretary_a1)
    for name, args in [("dashboard", []), ("members:list", []), ("members:create", []),
                       ("members:detail", [member_a1.pk]), ("members:update", [member_a1.pk]),
                       ("members:delete", [member_a1.pk]), ("organizations:list", [])]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_admin_site_only_for_department_admin(client, secretary_a1, county_admin):
    client.force_login(secretary_a1)
    assert client.get("/admin/").status_code == 302
    client.force_login(county_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/members/member/").status_code == 200


# --- list: search, filters, sorting, pagination, masking, queries ---------------------

def test_search_by_name_id_and_phone(client, secretary_a1, tree):
    target = AwayMemberFactory(organization=tree.branch_a1, name="李建国", phone="13912345678")
    AwayMemberFactory(organization=tree.branch_a1, name="王芳", phone="13800000000")
    client.force_login(secretary_a1)
    for q in ["建国", target.id_number[:14], target.id_number[-4:], "1391234", "45678"]:
        response = client.get(reverse("members:list"), {"q": q})
        assert list(response.context["page_obj"]) == [target], q


def test_filter_by_status_and_incomplete(client, secretary_a1, tree):
    away = AwayMemberFactory(organization=tree.branch_a1)
    home = MemberFactory(organization=tree.branch_a1)
    incomplete = AwayMemberFactory(organization=tree.branch_a1, occupation="")
    client.force_login(secretary_a1)
    response = client.get(reverse("members:list"), {"mobility_status": "at_home"})
    assert list(response.context["page_obj"]) == [home]
    response = client.get(reverse("members:list"), {"incomplete": "true"})
    assert list(response.context["page_obj"]) == [incomplete]
    response = client.get(reverse("members:list"), {"incomplete": "false"})
    assert set(response.context["page_obj"]) == {away, home}


def test_filter_by_branch_within_subtree(client, reviewer_a, tree):
    a1 = AwayMemberFactory(organization=tree.branch_a1)
    AwayMemberFactory(organization=tree.branch_a2)
    client.force_login(reviewer_a)
    response = client.get(reverse("members:list"), {"organization": tree.branch_a1.pk})
    assert list(response.context["page_obj"]) == [a1]
    # Another town's branch is not a valid choice: an error, not its members.
    response = client.get(reverse("members:list"), {"organization": tree.branch_b1.pk})
    assert response.status_code == 200
    assert "organization" in response.context["filter"].errors


def test_sorting_and_pagination(client, secretary_a1, tree):
    for name in ["丙", "甲", "乙"]:
        MemberFactory(organization=tree.branch_a1, name=name)
    MemberFactory.create_batch(50, organization=tree.branch_a1, name="张")
    client.force_login(secretary_a1)
    response = client.get(reverse("members:list"), {"sort": "-name"})
    assert response.context["paginator"].count == 53
    assert len(response.context["page_obj"]) == 50
    names = [m.name for m in response.context["page_obj"]]
    assert names == sorted(names, reverse=True)
    assert len(client.get(reverse("members:list"), {"sort": "-name", "page": 2}).context["page_obj"]) == 3


def test_bad_page_number_is_not_a_500(client, secretary_a1, member_a1):
    client.force_login(secretary_a1)
    assert client.get(reverse("members:list"), {"page": "abc"}).status_code == 200
    assert client.get(reverse("members:list"), {"page": "999"}).status_code == 200
    assert client.get(reverse("members:list"), {"organization": "abc", "incomplete": "maybe"}).status_code == 200
    assert client.get(reverse("members:list"), {"sort": "nonsense"}).status_code == 200


def test_personal_data_is_masked_for_reviewers(client, reviewer_a, secretary_a1, member_a1):
    client.force_login(reviewer_a)
    body = client.get(reverse("members:list")).content.decode()
    assert member_a1.id_number not in body
    assert member_a1.id_number[0] + "*" * 16 + member_a1.id_number[-1] in body
    assert member_a1.phone not in body
    client.force_login(secretary_a1)
    assert member_a1.id_number in client.get(reverse("members:list")).content.decode()


def test_viewing_personal_data_is_logged(client, secretary_a1, member_a1):
    client.force_login(secretary_a1)
    client.get(reverse("members:detail", args=[member_a1.pk]))
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.member, log.action) == (secretary_a1, member_a1, "view")


@pytest.mark.parametrize("count", [10, 200])
def test_member_list_runs_constant_queries(client, county_admin, tree, count, django_assert_max_num_queries):
    AwayMemberFactory.create_batch(count // 2, organization=tree.branch_a1)
    AwayMemberFactory.create_batch(count - count // 2, organization=tree.branch_b1)
    client.force_login(county_admin)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("members:list"))
    assert response.status_code == 200


def test_member_detail_runs_constant_queries(client, secretary_a1, member_a1, django_assert_max_num_queries):
    client.force_login(secretary_a1)
    # 7 for the page itself (with the bell), one per section the transfers,
    # activity-cards and supervision panels show, two for the 党籍与转正 panel
    # (its decisions and its probation letters), three for the 双向共管与双向评议
    # panel (its agreements, its evaluations, which side the user is on), one for the member's own
    # link (portal), one for the menu's count of members' reports waiting and one for the 困难帮扶 panel.
    with django_assert_max_num_queries(26):
        assert client.get(reverse("members:detail", args=[member_a1.pk])).status_code == 200


# --- detail ------------------------------------------------------------------------

def test_detail_shows_missing_facts(client, secretary_a1, tree):
    member = AwayMemberFactory(organization=tree.branch_a1, destination_address="", phone="")
    client.force_login(secretary_a1)
    body = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "六个掌握信息不全" in body
    assert "4. 流入地址" in body and "5. 联系方式" in body
    assert "1. 基本信息" not in body


def test_detail_breadcrumb(client, secretary_a1, member_a1, tree):
    client.force_login(secretary_a1)
    body = client.get(reverse("members:detail", args=[member_a1.pk])).content.decode()
    body = body[body.index('class="breadcrumb"'):]
    assert body.index("测试县委") < body.index("甲镇党委") < body.index("甲一村党支部")


# --- create / edit -----------------------------------------------------------------

def test_create_member(client, secretary_a1, tree):
    template = AwayMemberFactory.build(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    response = client.post(reverse("members:create"), _post_data(template, version=1))
    member = Member.objects.get(id_number=template.id_number)
    assert response.status_code == 302 and response.url == member.get_absolute_url()
    assert member.dues_start_month.day == 1
    assert member.dues_paid_through == dues.add_months(member.dues_start_month, -1)  # an opening balance
    assert member.history.get().history_user == secretary_a1


@pytest.mark.parametrize("field, value, message", [
    ("id_number", "110105194912310022", "校验位不正确"),
    ("id_number", "12345", "18位"),
    ("phone", "12345", "11位"),
    ("birth_date", "1950-01-01", "出生日期与身份证号码"),
    ("birth_date", "not-a-date", "有效的日期"),
    ("name", "", "请填写此项"),
    ("expected_months", "0", "不能小于 1"),
    ("expected_months", "-3", ""),
    ("dues_start_month", "2026-13", "有效的日期"),
])
def test_create_rejects_bad_input_with_chinese_message(client, secretary_a1, tree, field, value, message):
    template = AwayMemberFactory.build(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    response = client.post(reverse("members:create"), _post_data(template, version=1, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors and message in " ".join(errors)
    assert not Member.objects.exists()


def test_gender_must_agree_with_id_number(client, secretary_a1, tree):
    template = AwayMemberFactory.build(organization=tree.branch_a1)
    other = "female" if template.gender == "male" else "male"
    client.force_login(secretary_a1)
    response = client.post(reverse("members:create"), _post_data(template, version=1, gender=other))
    assert response.status_code == 200
    assert "第17位" in " ".join(response.context["form"].errors["gender"])


def test_duplicate_id_number_is_refused(client, secretary_a1, member_a1, tree):
    template = AwayMemberFactory.build(organization=tree.branch_a1, id_number=member_a1.id_number,
                                       birth_date=member_a1.birth_date, gender=member_a1.gender,
                                       joined_date=member_a1.joined_date)
    client.force_login(secretary_a1)
    response = client.post(reverse("members:create"), _post_data(template, version=1))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [
        f"身份证号码为 {member_a1.id_number} 的党员已在{tree.branch_a1.name}登记。"]


def test_a_masked_role_sees_a_duplicate_number_masked(reviewer_a, member_a1):
    """The message shows the number as the user sees numbers anywhere else (members.masking)."""
    from django.core.exceptions import ValidationError

    from members import services
    from members.masking import mask_id_number

    with pytest.raises(ValidationError) as refused:
        services._refuse_id_number_held_inside(acting_user=reviewer_a, id_number=member_a1.id_number)
    message = refused.value.message_dict["id_number"][0]
    assert mask_id_number(member_a1.id_number) in message and member_a1.id_number not in message
    assert member_a1.organization.name in message


def test_probationary_needs_end_date(client, secretary_a1, tree):
    template = AwayMemberFactory.build(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    response = client.post(reverse("members:create"), _post_data(template, version=1, membership_type="probationary"))
    assert response.status_code == 200
    assert "预备期满" in " ".join(response.context["form"].errors["probation_end_date"])


def test_edit_member(client, secretary_a1, member_a1):
    client.force_login(secretary_a1)
    response = client.post(reverse("members:update", args=[member_a1.pk]), _post_data(member_a1, occupation="厨师"))
    assert response.status_code == 302
    member_a1.refresh_from_db()
    assert member_a1.occupation == "厨师"
    assert member_a1.version == 2


def test_stale_edit_is_refused(client, secretary_a1, member_a1, tree):
    other_secretary = type(secretary_a1).objects.create(username="other", organization=tree.branch_a1,
                                                        role=secretary_a1.role)
    opened = _post_data(member_a1)  # both open the form at version 1
    client.force_login(other_secretary)
    assert client.post(reverse("members:update", args=[member_a1.pk]), dict(opened, occupation="厨师")).status_code == 302
    client.force_login(secretary_a1)
    response = client.post(reverse("members:update", args=[member_a1.pk]), dict(opened, occupation="司机"))
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    member_a1.refresh_from_db()
    assert member_a1.occupation == "厨师"


def test_delete_member(client, secretary_a1, member_a1):
    client.force_login(secretary_a1)
    assert client.post(reverse("members:delete", args=[member_a1.pk])).status_code == 302
    assert not Member.objects.exists()
    assert member_a1.history.filter(history_type="-", history_user=secretary_a1).exists()


def test_host_organization_shares_the_record_and_nobody_else(client, tree, secretary_a1, secretary_b1, reviewer_a):
    hosted = AwayMemberFactory(organization=tree.branch_b1, host_organization=tree.branch_a1,
                               mobility_status="inflow")
    client.force_login(secretary_a1)
    assert client.get(reverse("members:detail", args=[hosted.pk])).status_code == 200
    client.force_login(secretary_b1)
    assert client.get(reverse("members:detail", args=[hosted.pk])).status_code == 200
    third = type(secretary_a1).objects.create(username="third", organization=tree.branch_a2, role="branch_secretary")
    client.force_login(third)
    assert client.get(reverse("members:detail", args=[hosted.pk])).status_code == 404


def test_column_headers_sort_and_toggle(client, secretary_a1, tree):
    MemberFactory(organization=tree.branch_a1, name="甲")
    client.force_login(secretary_a1)
    body = client.get(reverse("members:list"), {"sort": "name", "q": "甲"}).content.decode()
    assert 'href="?sort=-name&amp;q=%E7%94%B2"' in body or 'href="?q=%E7%94%B2&amp;sort=-name"' in body


def test_menu_marks_one_active_item(client, secretary_a1):
    client.force_login(secretary_a1)
    response = client.get(reverse("members:create"))
    active = [item["label"] for item in response.context["menu_items"] if item["active"]]
    assert active == ["新增党员"]


def test_menu_is_grouped_in_titled_sections_with_the_same_items(client, secretary_a1):
    client.force_login(secretary_a1)
    response = client.get(reverse("members:create"))
    sections = response.context["menu_sections"]
    assert sections[0]["title"] == "党员"
    grouped = [item["label"] for section in sections for item in section["items"]]
    assert sorted(grouped) == sorted(item["label"] for item in response.context["menu_items"])
    body = response.content.decode()
    assert body.count('class="active" aria-current="page"') == 1
    assert '<span aria-current="page">新增党员</span>' in body  # the menu breadcrumb names the page


def test_member_form_and_list_show_no_english_or_dashes(client, secretary_a1):
    client.force_login(secretary_a1)
    for url in (reverse("members:create"), reverse("members:list")):
        body = client.get(url).content.decode()
        assert "---------" not in body
        assert "descending" not in body


def test_roster_exports_page_renders(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("members:export_list")).status_code == 200


def test_transferred_out_members_leave_the_list_unless_asked_for(client, secretary_a1, tree):
    gone = MemberFactory(organization=tree.branch_a1, membership_status="transferred_out")
    here = MemberFactory(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    assert list(client.get(reverse("members:list")).context["page_obj"]) == [here]
    response = client.get(reverse("members:list"), {"membership_status": "transferred_out"})
    assert list(response.context["page_obj"]) == [gone]
    assert client.get(reverse("dashboard")).context["counts"]["total"] == 1


def test_a_select_with_one_possible_answer_is_preselected(client, secretary_a1, county_admin, tree):
    client.force_login(secretary_a1)
    form = client.get(reverse("members:create")).context["form"]
    assert form["organization"].value() == tree.branch_a1.pk  # the secretary's own branch, the only answer
    client.force_login(county_admin)
    assert client.get(reverse("members:create")).context["form"]["organization"].value() is None  # many answers


def test_a_large_subtree_lists_its_top_levels_in_the_filter_and_still_filters_by_any_organization(
        client, county_admin, tree, monkeypatch):
    from members import filters

    from organizations.choices import OrganizationKind
    from tests.factories import OrganizationFactory

    group = OrganizationFactory(parent=tree.branch_a1, name="甲一村第一党小组", kind=OrganizationKind.BRANCH)
    in_group = MemberFactory(organization=group, name="金明哲")
    MemberFactory(organization=tree.branch_b1, name="朴永男")
    monkeypatch.setattr(filters, "ORGANIZATION_CHOICES_LIMIT", 3)  # the county's 7 organizations are "many"
    client.force_login(county_admin)
    listed = _organization_options(client.get(reverse("members:list")))
    assert listed == ["全部", "测试县委", "甲镇党委", "甲一村党支部", "甲二村党支部", "乙镇党委", "乙一村党支部"]
    response = client.get(reverse("members:list"), {"organization": group.pk})
    assert list(response.context["page_obj"]) == [in_group]  # a level below the list still filters
    assert "甲一村第一党小组" in _organization_options(response)  # and shows as chosen


def _organization_options(response):
    import re

    select = re.search(r'<select name="organization".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)
