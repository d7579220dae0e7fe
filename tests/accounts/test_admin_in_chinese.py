"""The Django admin, where a superuser still uses it, speaks Chinese and carries the system's name."""
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_and_model_in_the_admin_has_a_chinese_name():
    with translation.override("zh-hans"):
        for model in admin.site._registry:
            meta = model._meta
            assert CJK.search(str(meta.app_config.verbose_name)), meta.app_label
            assert CJK.search(str(meta.verbose_name)) and CJK.search(str(meta.verbose_name_plural)), meta.label


def test_every_model_of_ours_has_a_chinese_name():
    ours = {"organizations", "accounts", "members", "transfers", "activity_cards", "reports", "notifications", "jobs",
            "administration"}
    with translation.override("zh-hans"):
        for config in apps.get_app_configs():
            if config.label in ours:
                assert CJK.search(str(config.verbose_name)), config.label
                for model in config.get_models():
                    assert CJK.search(str(model._meta.verbose_name)), model._meta.label


@pytest.mark.django_db
def test_admin_index_is_titled_with_the_system_name(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="Root-pass-2026")
    client.force_login(superuser)
    page = client.get("/admin/").content.decode()
    assert "流动党员管理系统" in page and "党员" in page and "Members" not in page and "Axes" not in page
