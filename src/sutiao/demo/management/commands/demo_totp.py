from django.core.management.base import BaseCommand
from django_otp.oath import totp

from sutiao.demo.data import DEMO_TOTP_HEX


class Command(BaseCommand):
    help = "Print the current six-digit code of the demo staff accounts' authenticator."

    def handle(self, *args, **options):
        self.stdout.write(f"{totp(bytes.fromhex(DEMO_TOTP_HEX)):06d}")
