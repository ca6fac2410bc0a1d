"""One Russian drone strike on Kyiv on Monday 9 June 2025 as outlets reported
it, and Reuters on a strike there a week later: the articles that the merge
and store tests analyse and merge into stories."""

KYIV_INDEPENDENT = dict(
    id="ki-1", source="Kyiv Independent", published="2025-06-10",
    text="One person was killed and five were injured when a Russian drone hit an apartment building "
         "in Kyiv on Monday, the head of the city military administration Tymur Tkachenko said.")
REUTERS = dict(
    id="rt-1", source="Reuters", published="2025-06-10",
    text="Two killed in Kyiv drone attack\n\n"
         "Two people were killed in a Russian drone attack on Kyiv on Monday, Mayor Vitali Klitschko "
         "said on Telegram.")
BBC = dict(
    id="bbc-1", source="BBC", published="2025-06-10",
    text="Russian forces struck the Ukrainian capital Kyiv on Monday, killing two people, "
         "Ukraine's interior ministry said.")
REUTERS_A_WEEK_LATER = dict(
    id="rt-2", source="Reuters", published="2025-06-17",
    text="A Russian drone attack on Kyiv killed three people on Tuesday, Kyiv mayor Vitali Klitschko said.")
