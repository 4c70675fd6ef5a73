"""The roster's pages, one module per page group; urls.py names them through this package."""

from .collection import import_errors, import_job, import_page, import_progress, import_template
from .courts import pending, recommendation
from .export import export
from .mediators import me
from .offices import (
    maintain,
    mediator_edit,
    mediator_new,
    org_manage,
    recommend,
    recommendations,
)
from .public import court_roster, entry_detail, mediator_public, public_roster

__all__ = [
    "court_roster",
    "entry_detail",
    "export",
    "import_errors",
    "import_job",
    "import_page",
    "import_progress",
    "import_template",
    "maintain",
    "me",
    "mediator_edit",
    "mediator_new",
    "mediator_public",
    "org_manage",
    "pending",
    "public_roster",
    "recommend",
    "recommendation",
    "recommendations",
]
