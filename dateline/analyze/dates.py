"""dates component (placeholder until implemented)."""

from dateline.analyze.pipeline import State, register


@register("dates")
def dates_component(state: State) -> None:
    return None
