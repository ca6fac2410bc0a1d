"""events component (placeholder until implemented)."""

from dateline.analyze.pipeline import State, register


@register("events")
def events_component(state: State) -> None:
    return None
