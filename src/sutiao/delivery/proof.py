"""The proof of service (电子送达凭证): a PDF per service listing every recorded step with its
time; actions.issue_proof seals and registers it, so its code verifies on /documents/verify/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from sutiao.accounts.identity import mask_phone
from sutiao.core.lazy import lazy

from .models import ConsentMethod, Delivery, DeliveryEvent, Service, ServiceKind

if TYPE_CHECKING:
    from sutiao.documents import render as documents_render
else:  # loaded on first use (sutiao.core.lazy)
    documents_render = lazy("sutiao.documents.render")

CHANNEL = {
    "inbox": "平台收件箱",
    "email": "电子邮件",
    "sms": "手机短信",
    "platform": "诉调平台",
    "paper": "纸质送达",
}
EVENT = {
    "served": "发起送达",
    "queued": "进入发送队列",
    "sending": "开始发送",
    "in_doubt": "发送中断，以同一消息标识重发",
    "sent": "已发出",
    "arrived": "已到达受送达人特定系统",
    "opened": "受送达人已阅读",
    "acted": "受送达人已回复或作出相应行为",
    "retry": "发送失败，稍后重试",
    "failed": "发送失败",
    "effective": "送达生效",
    "could_not_serve": "无法电子送达",
    "needs_paper": "未同意电子送达，需纸质送达",
    "paper_requested": "受送达人申请纸质文书",
    "paper_served": "纸质送达",
    "proof_issued": "出具电子送达凭证",
}
BASIS = {
    "arrival": "以送达信息到达受送达人特定系统的日期为送达日期（《人民法院在线诉讼规则》第三十一条第一款第一项）",
    "opened": "以受送达人阅知的日期为送达日期（《人民法院在线诉讼规则》第三十一条第一款第二项）",
    "acted": "以受送达人回复收悉或作出相应诉讼行为的日期为送达日期（《人民法院在线诉讼规则》第三十一条第一款第二项）",
}
CONSENT = {
    ConsentMethod.EXPRESS: "受送达人明确表示同意",
    ConsentMethod.PRIOR_AGREEMENT: "受送达人事先约定或承诺",
    ConsentMethod.ADDRESS_IN_FILINGS: "受送达人在诉讼材料中主动提供电子地址",
    ConsentMethod.CONDUCT: "受送达人以行为接受电子送达且未表示反对",
}
KIND = {
    ServiceKind.AGREEMENT: "调解协议书",
    ServiceKind.RULING: "裁定书",
    ServiceKind.MEDIATION_DOCUMENT: "调解书",
    ServiceKind.DELEGATION_NOTICE: "委派（委托）调解通知",
    ServiceKind.ACCEPTANCE_NOTICE: "受理及调解期限通知",
    ServiceKind.TIME_LIMIT_NOTICE: "期限通知",
    ServiceKind.MEETING_INVITATION: "调解会议邀请",
    ServiceKind.NOTICE: "通知",
    ServiceKind.OTHER: "其他文书",
}
ROLE = {"applicant": "申请人", "respondent": "被申请人"}


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _address(d: Delivery) -> str:
    if d.channel == "sms":
        return f"{CHANNEL['sms']} {mask_phone(d.address)}"
    if d.channel == "inbox":
        return f"{CHANNEL['inbox']}（账号 {d.address}）"
    return f"{CHANNEL['email']} {d.address}"


# What the channel answered, in the order the proof lists it: (detail key, label).
_ANSWERS = (
    ("smtp", "邮件服务器应答"),
    ("gateway", "短信网关"),
    ("receipt", "回执"),
    ("error", "错误"),
)


def _detail(e: DeliveryEvent) -> str:
    d, parts = e.detail or {}, []
    if e.kind in {"sending", "in_doubt"} and d.get("attempt"):
        parts.append(f"第{d['attempt']}次发送")
    if d.get("message_id") and e.kind in {"queued", "sent"}:
        parts.append(f"消息标识 {d['message_id']}")
    parts += [f"{label} {d[key]}" for key, label in _ANSWERS if d.get(key)]
    if d.get("next_at"):
        parts.append(f"下次尝试 {_time(timezone.datetime.fromisoformat(d['next_at']))}")
    if d.get("how") == "acknowledged":
        parts.append("受送达人在平台确认收悉")
    if d.get("download"):
        parts.append("下载了送达文书")
    if d.get("verify_code"):
        parts.append(f"凭证验证码 {d['verify_code']}")
    if d.get("route"):
        parts.append(f"{d['route']} {d.get('receipt', '')}".strip())
    if e.kind == "needs_paper":
        parts.append(
            "受送达人未同意电子送达" if d.get("reason") == "no_consent" else "无可用的电子地址"
        )
    if d.get("purpose") == "prompt":
        parts.append("短信提示阅读，不作为送达方式")
    return "；".join(str(p) for p in parts)


def context(service: Service, *, issuer: str) -> dict:
    service = Service.objects.select_related(
        "case", "party", "document", "addresses", "served_by"
    ).get(pk=service.pk)
    deliveries = list(service.deliveries.all())
    events = list(
        service.events.exclude(kind="proof_issued").select_related("delivery").order_by("at", "id")
    )
    conf = service.addresses
    effective = None
    if service.effective_at:
        effective = {
            "at": _time(service.effective_at),
            "channel": CHANNEL.get(service.effective_channel, service.effective_channel),
            "basis": BASIS.get(service.effective_basis, ""),
        }
    now = timezone.now()
    return {
        "title": "电子送达凭证",
        "case_number": service.case.number,
        "issuer": issuer,
        "recipient": {"name": service.party.name, "role": ROLE.get(service.party.role, "")},
        "served": {
            "title": service.title,
            "kind": KIND.get(service.kind, service.kind),
            "code": service.document.verify_code if service.document_id else "",
            "text": service.body if not service.document_id else "",
            "by": service.served_by.display_name if service.served_by_id else "",
            "at": _time(service.created_at),
        },
        "addresses": [_address(d) for d in deliveries if d.purpose == Delivery.Purpose.SERVICE],
        "consent": {
            "method": CONSENT.get(conf.method, conf.method) if conf else "",
            "at": _time(conf.recorded_at)[:10] if conf else "",
            "confirmed": bool(conf and conf.confirmed_by_recipient),
        },
        "effective": effective,
        "events": [
            {
                "at": _time(e.at),
                "channel": CHANNEL.get(e.delivery.channel, "") if e.delivery_id else "",
                "label": EVENT.get(e.kind, e.kind),
                "detail": _detail(e),
            }
            for e in events
        ],
        "as_of": _time(now),
        "date": timezone.localtime(now).strftime("%Y年%m月%d日"),
        "author": issuer,
    }


def render(service: Service, *, verify_code: str, issuer: str) -> bytes:
    return documents_render.render_pdf(
        "delivery/proof_of_service.html", context(service, issuer=issuer), verify_code=verify_code
    )
