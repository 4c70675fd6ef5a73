"""Every model with a lifecycle has its table on the one engine (core.lifecycle).

A model has a lifecycle when it has a field named `state`, or a `status` field with choices.
Its Machine is registered in `core.lifecycle.MACHINES` under "app_label.ModelName", and every
value the field can hold is a source or a target of one of its transitions.
"""

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

from sutiao.core import lifecycle

# Models whose state still changes outside the engine. Shrink this list: give the model its
# table (<app>/lifecycle.py, registered) and delete its line. Never add one.
NOT_YET = {
    # roster: statuses changed by roster.actions; no table yet.
    "roster.ImportJob",  # a spreadsheet import's progress
    "roster.Mediator",  # active, suspended, removed
    "roster.Recommendation",  # an IP office's recommendation to a court
    "roster.RosterEntry",  # admission to a court's roster
}


def _stateful_models():
    for model in apps.get_models():
        if not model.__module__.startswith("sutiao."):
            continue  # a library's models (oauth2_provider.DeviceGrant) keep their own rules
        names = {f.name: f for f in model._meta.get_fields() if hasattr(f, "choices")}
        field = names.get("state")
        if field is None and names.get("status") is not None and names["status"].choices:
            field = names["status"]
        if field is not None:
            yield model._meta.label, model, field


def test_every_model_with_a_state_has_a_machine():
    autodiscover_modules("lifecycle")
    missing = [
        label
        for label, _model, _field in _stateful_models()
        if label not in lifecycle.MACHINES and label not in NOT_YET
    ]
    assert not missing, f"models with a state but no Machine: {missing}"


def test_every_state_is_reached_or_left_by_a_transition():
    autodiscover_modules("lifecycle")
    for label, _model, field in _stateful_models():
        machine = lifecycle.MACHINES.get(label)
        if machine is None:
            continue
        assert machine.state_field == field.name, label
        covered: set[str] = set()
        for t in machine.transitions.values():
            covered |= set(t.source) | machine.targets(t)
        values = {str(value) for value, _label in field.choices}
        assert values <= covered, f"{label}: states no transition touches: {values - covered}"


def test_the_allow_list_names_only_models_without_a_machine():
    autodiscover_modules("lifecycle")
    labels = {label for label, _model, _field in _stateful_models()}
    assert labels >= NOT_YET, NOT_YET - labels
    assert not (NOT_YET & set(lifecycle.MACHINES)), "remove the models that have a machine now"
