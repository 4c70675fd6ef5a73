from django.core.management.base import BaseCommand

from sutiao.demo import data as demo_data


class Command(BaseCommand):
    help = (
        "Load the demo institutions, mediators and one log-in per role (safe to run again); "
        "`demo generate --cases N --seed S` fabricates a history for tests and benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", nargs="?", choices=["generate"])
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--provinces", type=int, default=6)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument(
            "--no-figures", action="store_true", help="do not rebuild the figures afterwards"
        )

    def handle(self, *args, **options):
        if options["what"] == "generate":
            return self._generate(options)
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

    def _generate(self, options):
        from sutiao.demo.generate import generate
        from sutiao.evaluation.summary import rebuild

        made = generate(
            cases=options["cases"],
            seed=options["seed"],
            provinces=options["provinces"],
            years=options["years"],
        )
        if not options["no_figures"]:
            rebuild()
        self.stdout.write(self.style.SUCCESS(f"Generated {made:,} cases (seed {options['seed']})."))
