"""places component (placeholder until implemented)."""

from dateline.analyze.pipeline import State, register


@register("places")
def places_component(state: State) -> None:
    return None
