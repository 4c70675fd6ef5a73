from django.core.management.base import BaseCommand

from sutiao.cases import actions, load
from sutiao.cases.models import Case


class Command(BaseCommand):
    help = (
        "Case tools. `cases expire`: end mediations whose period ran out (OMR 25 (6)); run it "
        "from cron or Celery beat in production (the embedded server runs it itself). "
        "`cases time-limits`: escalate cases no mediator was assigned to within 3 working days "
        "(OMR 10), return cases the mediator did not answer within 3 (OMR 12). "
        "`cases list [--state S] [--court ID]`: case numbers, one a line. "
        "`cases recount-load`: set each mediator's stored count of open cases to a recount of "
        "the cases (a repair after rows were changed outside the actions); prints what differed."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["expire", "time-limits", "list", "recount-load"])
        parser.add_argument("--state", default="")
        parser.add_argument("--court", type=int)

    def handle(self, *args, verb, state, court, **options):
        if verb == "expire":
            ended = actions.expire_overdue()
            self.stdout.write(f"{len(ended)} mediation(s) ended: period expired")
            unanswered = actions.end_unanswered()
            self.stdout.write(
                f"{len(unanswered)} mediation(s) ended: the other side did not answer (OMR 15)"
            )
            return
        if verb == "recount-load":
            wrong = load.recount()
            for mediator, (stored, true) in sorted(wrong.items()):
                self.stdout.write(f"mediator {mediator}: stored {stored}, recounted {true}")
            self.stdout.write(f"{len(wrong)} mediator load(s) corrected")
            return
        if verb == "time-limits":
            escalated, returned = actions.escalate_unassigned(), actions.return_unanswered()
            self.stdout.write(f"{len(escalated)} escalated, {len(returned)} returned")
            return
        qs = Case.objects.exclude(number="").order_by("pk")
        if state:
            qs = qs.filter(state=state)
        if court:
            qs = qs.filter(court_id=court)
        for number in qs.values_list("number", flat=True).iterator():
            self.stdout.write(number)
