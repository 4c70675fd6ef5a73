"""`sutiao docking partner add NAME --scopes … --institution court:ID|org:ID …` (prints the
client id and secret once), `sutiao docking webhook add PARTNER URL` (prints the signing
secret once), `sutiao docking work` (one pass of the worker), `sutiao docking feed PARTNER`;
`sutiao docking peer add|send|pull` for another instance this one docks with."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sutiao.institutions.models import Court, MediationOrg

from ... import actions, engine, feed, peers
from ...models import CaseEvent, Partner, Peer
from ...oauth import SCOPES
from ...policies import concerns


class Command(BaseCommand):
    help = "Docking partners, webhooks and the worker (docs/docking.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        partner = sub.add_parser("partner").add_subparsers(dest="verb", required=True)
        add = partner.add_parser("add")
        add.add_argument("name")
        add.add_argument("--scopes", nargs="+", required=True, choices=sorted(SCOPES))
        add.add_argument("--institution", nargs="*", default=[], help="court:ID or org:ID")
        partner.add_parser("list")
        webhook = sub.add_parser("webhook").add_subparsers(dest="verb", required=True)
        hook = webhook.add_parser("add")
        hook.add_argument("partner")
        hook.add_argument("url")
        sub.add_parser("work")
        feed = sub.add_parser("feed")
        feed.add_argument("partner")
        peer = sub.add_parser("peer").add_subparsers(dest="verb", required=True)
        padd = peer.add_parser("add")
        padd.add_argument("name")
        padd.add_argument("base_url", help="the peer's …/api/docking/v1")
        for opt in ("--client-id", "--client-secret", "--webhook-secret"):
            padd.add_argument(opt, required=True)
        send = peer.add_parser("send", help="send an application (JSON file) under a key")
        send.add_argument("name")
        send.add_argument("file")
        send.add_argument("--key", required=True)
        pull = peer.add_parser("pull", help="read the peer's feed from where we stopped")
        pull.add_argument("name")

    def handle(self, *args: Any, **o: Any) -> None:
        what = o["what"]
        if what == "partner" and o["verb"] == "add":
            courts, orgs = self._institutions(o["institution"])
            try:
                done = actions.register_partner(
                    actor="cli", name=o["name"], scopes=o["scopes"], courts=courts, orgs=orgs
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"client_id: {done.client_id}")
            self.stdout.write(f"client_secret: {done.client_secret}")
            self.stdout.write("The secret is shown only now; keep it.")
        elif what == "partner":
            for p in Partner.objects.all():
                self.stdout.write(f"{p.pk}\t{p.name}\t{p.application.client_id}\t{p.scopes}")
        elif what == "webhook":
            endpoint = actions.add_webhook(
                actor="cli", partner=self._partner(o["partner"]), url=o["url"]
            )
            self.stdout.write(f"endpoint: {endpoint.pk}")
            self.stdout.write(f"signing secret: {endpoint.secret}")
        elif what == "peer":
            self._peer(o)
        elif what == "work":
            self.stdout.write(str(dict(engine.run_once())))
        else:
            partner = self._partner(o["partner"])
            feed.stamp()
            last = (
                CaseEvent.objects.filter(case__in=_cases(partner), position__isnull=False)
                .order_by("-position")
                .first()
            )
            self.stdout.write(f"{partner.name}: latest cursor {last.position if last else 0}")

    def _peer(self, o: dict[str, Any]) -> None:
        if o["verb"] == "add":
            peer = peers.add_peer(
                actor="cli",
                name=o["name"],
                base_url=o["base_url"],
                client_id=o["client_id"],
                client_secret=o["client_secret"],
                webhook_secret=o["webhook_secret"],
            )
            self.stdout.write(f"peer: {peer.pk}")
            self.stdout.write("its webhooks to: /api/docking/v1/peers/webhook")
            return
        found = Peer.objects.filter(name=o["name"]).first()
        if found is None:
            raise CommandError(f"no peer named {o['name']!r}")
        if o["verb"] == "send":
            with open(o["file"], encoding="utf-8") as f:
                body = json.load(f)
            answer = peers.send_application(actor="cli", peer=found, body=body, key=o["key"])
            self.stdout.write(json.dumps({"status": answer.status, "body": answer.body}))
        else:
            self.stdout.write(f"new events: {peers.pull_feed(found)}")

    def _partner(self, name: str) -> Partner:
        partner = Partner.objects.filter(name=name).first()
        if partner is None:
            raise CommandError(f"no partner named {name!r}")
        return partner

    def _institutions(self, specs: list[str]) -> tuple[list[Court], list[MediationOrg]]:
        courts: list[Court] = []
        orgs: list[MediationOrg] = []
        for spec in specs:
            kind, _, pk = spec.partition(":")
            court = (
                Court.objects.filter(pk=pk).first() if kind == "court" and pk.isdigit() else None
            )
            org = (
                MediationOrg.objects.filter(pk=pk).first()
                if kind == "org" and pk.isdigit()
                else None
            )
            if court is None and org is None:
                raise CommandError(f"unknown institution {spec!r} (court:ID or org:ID)")
            courts.extend([court] if court else [])
            orgs.extend([org] if org else [])
        return courts, orgs


def _cases(partner: Partner):
    from sutiao.cases.models import Case

    return Case.objects.filter(concerns(partner)).values("pk")
