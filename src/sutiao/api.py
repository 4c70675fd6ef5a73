"""The /api/v1 application: core's shell (auth, errors, JSON) with each domain's router."""

from sutiao.accounts.actions import user_for_token
from sutiao.accounts.api import router as accounts_router
from sutiao.agreements.api import router as agreements_router
from sutiao.batches.api import router as batches_router
from sutiao.casebook.api import router as casebook_router
from sutiao.cases.api import router as cases_router
from sutiao.cases.api_records import router as case_records_router
from sutiao.core.api import build_api
from sutiao.delivery.api import router as delivery_router
from sutiao.documents.api import router as documents_router
from sutiao.evaluation.api import router as evaluation_router
from sutiao.institutions.api import router as institutions_router
from sutiao.judicial.api import router as judicial_router
from sutiao.meetings.api import router as meetings_router
from sutiao.roster.api import router as roster_router
from sutiao.subsidies.api import router as subsidies_router
from sutiao.training.api import router as training_router
from sutiao.web.api import router as web_router

api = build_api(user_for_token=user_for_token)
api.add_router("/", accounts_router)
api.add_router("/", institutions_router)
api.add_router("/", roster_router)
api.add_router("/", cases_router)
api.add_router("/", case_records_router)
api.add_router("/", documents_router)
api.add_router("/", delivery_router)
api.add_router("/", agreements_router)
api.add_router("/", judicial_router)
api.add_router("/", meetings_router)
api.add_router("/", batches_router)
api.add_router("/", training_router)
api.add_router("/", evaluation_router)
api.add_router("/", web_router)
api.add_router("/", casebook_router)
api.add_router("/", subsidies_router)
