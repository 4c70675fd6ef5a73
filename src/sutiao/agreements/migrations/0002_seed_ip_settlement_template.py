"""Seed the IP settlement agreement template, version 1 (its wording is data: later versions
are new rows, added without a release)."""

from django.db import migrations

WORDING = {
    "title": "调解协议书",
    "headings": {
        "facts": "纠纷的主要事实",
        "issues": "争议事项",
        "terms": "经调解，各方当事人自愿达成如下协议",
        "performance": "履行方式"
    },
    "terms": {
        "pay": "{obligor}于{due_date}前向{beneficiary}支付{subject}共计人民币{amount}元（大写：{amount_words}）。",
        "stop_use": "{obligor}自{due_date}起停止{subject}。",
        "licence": "{obligor}许可{beneficiary}使用{subject}，许可期限至{due_date}止，许可使用费为人民币{amount}元。",
        "withdraw_suits": "{obligor}于{due_date}前撤回{subject}。",
        "act": "{obligor}于{due_date}前{subject}。",
        "waive": "{obligor}放弃{subject}。",
        "confirm_right": "各方确认：{subject}。",
        "other": "{details}"
    },
    "unstated": "（未载明）",
    "effective_date": "本协议生效之日",
    "closing": [
        "本协议经各方当事人签名（盖章）后生效，对各方当事人具有法律约束力，各方应当按照约定履行。",
        "各方当事人可以自本协议生效之日起三十日内，共同向有管辖权的人民法院申请司法确认。",
        "本协议以电子形式签署，各方当事人、调解员的电子签名及调解组织的电子印章与手写签名、实物印章具有同等法律效力。"
    ]
}


def seed(apps, schema_editor):
    Template = apps.get_model("agreements", "AgreementTemplate")
    Version = apps.get_model("agreements", "AgreementTemplateVersion")
    template, _ = Template.objects.get_or_create(
        code="ip_settlement", defaults={"name": "知识产权纠纷调解协议"})
    Version.objects.get_or_create(
        template=template, number=1,
        defaults={"title": WORDING["title"], "wording": WORDING, "published": True})


def unseed(apps, schema_editor):
    apps.get_model("agreements", "AgreementTemplate").objects.filter(
        code="ip_settlement", versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
