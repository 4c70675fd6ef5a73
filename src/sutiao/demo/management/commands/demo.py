from django.core.management.base import BaseCommand

from sutiao.demo import data as demo_data


class Command(BaseCommand):
    help = (
        "Load the demo institutions, mediators and one log-in per role (safe to run again); "
        "`demo generate --cases N --seed S` (or --preset 100k|1m|10m) fabricates a history "
        "for tests and benchmarks (COPY on PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", nargs="?", choices=["generate"])
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument(
            "--preset",
            choices=["100k", "1m", "10m"],
            help="100 k / 1 M / 10 M cases with 50 k / 400 k / 400 k mediators on the roster",
        )
        parser.add_argument("--roster", type=int, default=0, help="mediators on the roster in all")
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
        import time

        from sutiao.demo.generate import generate
        from sutiao.demo.generate.cases import PRESETS, ProgressBar
        from sutiao.evaluation.summary import rebuild

        preset = PRESETS[options["preset"]] if options["preset"] else {}
        started = time.monotonic()
        made = generate(
            cases=preset.get("cases", options["cases"]),
            seed=options["seed"],
            provinces=options["provinces"],
            years=options["years"],
            roster=preset.get("roster", options["roster"]),
            progress=ProgressBar(),
        )
        took = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made:,} cases (seed {options['seed']}) in {took:,.0f} s."
            )
        )
        if not options["no_figures"]:
            started = time.monotonic()
            rebuild(
                progress=lambda done, total: self.stderr.write(
                    f"\rfigures: cases read {done:,} / {total:,}", ending=""
                )
            )
            took = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"\nFigures rebuilt in {took:,.0f} s."))
