from django.core.management.base import BaseCommand

from sutiao.demo import data as demo_data


class Command(BaseCommand):
    help = "Load the demo institutions, mediators and one log-in per role (safe to run again)."

    def handle(self, *args, **options):
        loaded = demo_data.load()
        # A step that failed is one line; the command still succeeds so that scripts/run serves.
        for problem in loaded.problems:
            self.stderr.write(self.style.WARNING(problem))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Log-ins (password for all: {demo_data.DEMO_PASSWORD}):"
            )
        )
        for login in loaded.logins:
            extra = " [TOTP]" if login.second_factor else ""
            self.stdout.write(f"  {login.username:<11} {login.role:<20} {login.institution}{extra}")
        self.stdout.write(
            f"Staff marked [TOTP] confirm with a code from an authenticator app set up with key "
            f"{demo_data.DEMO_TOTP_BASE32} (or run: sutiao demo_totp)."
        )
