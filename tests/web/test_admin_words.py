"""Issue 15, item 7: the admin is Chinese. Every model of the platform and every app that has
models (the third-party ones included: django-otp, django-oauth-toolkit) carries a name from
the catalog, and the admin's index, change lists and change forms show no English model or
app name. The names are taken from the app registry, so a model added later without names
fails here."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation
from django.utils.text import capfirst

from sutiao.delivery.models import MessageTemplate
from sutiao.institutions.models import IPKind, Region
from tests import factories

CJK = re.compile(r"[\u4e00-\u9fff]")
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
LABELS = re.compile(r"<label[^>]*>(.*?)</label>", re.S)


def _platform_models():
    return [m for m in apps.get_models() if m.__module__.startswith("sutiao.")]


def _apps_with_models():
    return [a for a in apps.get_app_configs() if list(a.get_models())]


def _english_names() -> set[str]:
    """The English of every registered model's names and of every app with models."""
    with translation.override("en"):
        names = {str(a.verbose_name) for a in _apps_with_models()}
        for model in admin.site._registry:
            names |= {
                capfirst(str(model._meta.verbose_name)),
                capfirst(str(model._meta.verbose_name_plural)),
            }
    return names


def _untranslated(html: str) -> list[str]:
    text = TAGS.sub(" ", html)
    return sorted(
        n for n in _english_names() if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)
    )


def test_every_platform_model_has_names_of_its_own_in_chinese():
    missing = [
        m._meta.label
        for m in _platform_models()
        if not {"verbose_name", "verbose_name_plural"} <= set(m._meta.original_attrs)
    ]
    assert not missing, f"models without verbose_name / verbose_name_plural: {missing}"
    with translation.override("zh-hans"):
        english = [
            f"{m._meta.label}: {m._meta.verbose_name} / {m._meta.verbose_name_plural}"
            for m in apps.get_models()
            if not (
                CJK.search(str(m._meta.verbose_name))
                and CJK.search(str(m._meta.verbose_name_plural))
            )
        ]
        apps_english = [
            f"{a.label}: {a.verbose_name}"
            for a in _apps_with_models()
            if not CJK.search(str(a.verbose_name))
        ]
    assert not english, english
    assert not apps_english, apps_english


def test_the_third_party_sections_keep_their_labels_and_tables():
    """Our AppConfigs rename; they move nothing (labels are what migrations and tables use)."""
    assert apps.get_app_config("oauth2_provider").get_model("AccessToken")._meta.db_table == (
        "oauth2_provider_accesstoken"
    )
    assert apps.get_app_config("otp_totp").get_model("TOTPDevice")._meta.db_table == (
        "otp_totp_totpdevice"
    )


def _admin_pages() -> list[str]:
    """The index, every registered model's change list, and the change forms of a few."""
    region = Region.objects.order_by("code").first()
    kind = IPKind.objects.order_by("pk").first()
    template = MessageTemplate.objects.order_by("pk").first()
    assert region and kind, "the migrations' reference data is there"
    pages = ["/admin/"]
    for model in admin.site._registry:
        pages.append(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    pages += [
        f"/admin/institutions/region/{region.pk}/change/",
        f"/admin/institutions/ipkind/{kind.pk}/change/",
        "/admin/delivery/messagetemplate/add/",
        "/admin/oauth2_provider/application/add/",
    ]
    if template:
        pages.append(f"/admin/delivery/messagetemplate/{template.pk}/change/")
    return pages


@pytest.mark.django_db
def test_the_admin_shows_no_english_model_or_app_name():
    admin_user = factories.admin()
    client = factories.client_for(admin_user)
    found = {}
    pages = _admin_pages() + [f"/admin/accounts/user/{admin_user.pk}/change/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert 'lang="zh-hans"' in html, path
        if english := _untranslated(html):
            found[path] = english
    assert not found, found
    # The index names each section and model as the catalog does.
    index = client.get("/admin/").content.decode()
    with translation.override("zh-hans"):
        assert str(apps.get_app_config("oauth2_provider").verbose_name) in index
        for model in admin.site._registry:
            assert capfirst(str(model._meta.verbose_name_plural)) in index, model._meta.label


@pytest.mark.django_db
def test_the_change_forms_label_their_fields_in_chinese():
    client = factories.client_for(factories.admin())
    region = Region.objects.order_by("code").first()
    english = {}
    for path in (
        f"/admin/institutions/region/{region.pk}/change/",
        "/admin/delivery/messagetemplate/add/",
        "/admin/oauth2_provider/application/add/",  # the package's words, in our catalog
    ):
        labels = [
            TAGS.sub("", x).strip() for x in LABELS.findall(client.get(path).content.decode())
        ]
        if bad := [x for x in labels if x and not CJK.search(x)]:
            english[path] = bad
    assert not english, english
