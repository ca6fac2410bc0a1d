"""quotes (placeholder)."""
from dateline.analyze.pipeline import State, register


@register("quotes")
def quotes_component(state: State) -> None:
    return None
