"""The /api/v1 application: each domain contributes its router."""

from sutiao.accounts.api import router as accounts_router
from sutiao.core.api import build_api
from sutiao.institutions.api import router as institutions_router

api = build_api()
api.add_router("/", accounts_router)
api.add_router("/", institutions_router)
