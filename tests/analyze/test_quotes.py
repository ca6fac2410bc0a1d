"""Who said what, on short texts written for the purpose and on the answer keys."""

import dateline
from dateline.analyze.quotes import find_quotations


def quotes_of(text, **kw):
    return dateline.analyze_text(text, **kw).quotes


def test_direct_quote_with_short_form_resolves_to_full_name():
    text = (
        "Kremlin aide Yuri Ushakov spoke to reporters on Tuesday.\n"
        "\u201cRussia will achieve its aims,\u201d Mr Ushakov said.\n"
    )
    quotes = quotes_of(text)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.direct is True
    assert q.speaker == "Yuri Ushakov"
    assert q.speaker_kind == "person"
    assert q.speaker_role == "Kremlin aide"
    assert q.content == "Russia will achieve its aims"
    assert text[q.start:q.end] == "Russia will achieve its aims"


def test_quote_split_by_its_cue_is_one_quote():
    text = 'Mayor Anna Berg visited the site.\n"We will rebuild," she said, "and we will do it quickly."\n'
    quotes = quotes_of(text)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Anna Berg"
    assert "rebuild" in quotes[0].content and "quickly" in quotes[0].content
    assert quotes[0].direct


def test_quote_over_two_paragraphs_is_one_quote():
    text = (
        'Tom Ellis, a farmer, lost his barn in the flood.\n'
        '"The water came up in minutes. We had no time to move the animals.\n'
        '"Nobody warned us," Ellis said.\n'
    )
    quotes = quotes_of(text)
    assert len(quotes) == 1
    assert "water came up" in quotes[0].content and "Nobody warned us" in quotes[0].content
    assert quotes[0].speaker == "Tom Ellis"


def test_wire_style_quotation_marks():
    text = "``This isn't a reform at all,'' said Maria Lopez, an economist at the institute.\n"
    quotes = quotes_of(text)
    assert len(quotes) == 1
    assert quotes[0].content == "This isn't a reform at all"
    assert quotes[0].speaker == "Maria Lopez"
    assert quotes[0].speaker_role == "an economist at the institute" or "economist" in (quotes[0].speaker_role or "")


def test_following_quoted_sentence_continues_the_speaker():
    text = '"It was a difficult morning," Governor Ivan Petrov said.\n"We are all grieving."\n'
    quotes = quotes_of(text)
    assert [q.content for q in quotes] == ["It was a difficult morning", "We are all grieving."]
    assert all(q.speaker == "Ivan Petrov" for q in quotes)


def test_indirect_speech_and_according_to():
    text = (
        "The health ministry said that 14 people had been injured in the blast.\n"
        "The fire spread to two nearby homes, according to local residents.\n"
    )
    quotes = quotes_of(text)
    assert len(quotes) == 2
    first, second = quotes
    assert first.direct is False
    assert first.content == "14 people had been injured in the blast"
    assert first.speaker == "The health ministry" and first.speaker_kind == "organization"
    assert second.speaker == "local residents" and second.speaker_kind == "anonymous"
    assert "fire spread" in second.content


def test_pronoun_and_role_description_resolve_to_the_person():
    text = (
        "Ukrainian President Volodymyr Zelensky met troops near the front.\n"
        "He said the army needed more air defence.\n"
        "The Ukrainian leader added that talks could resume next month.\n"
    )
    quotes = quotes_of(text)
    assert len(quotes) == 2
    assert all(q.speaker == "Volodymyr Zelensky" for q in quotes)


def test_apposition_gives_the_role():
    text = (
        '"The process cannot be stopped," Vitaliy Sarantsev, a spokesperson for the ground forces, '
        "told the public broadcaster.\n"
    )
    q = quotes_of(text)[0]
    assert q.speaker == "Vitaliy Sarantsev"
    assert q.speaker_role == "spokesperson for the ground forces"


def test_quoted_phrase_inside_reported_speech_is_not_direct():
    text = 'Moscow will not "give up" on its aims in the region, the Kremlin said.\n'
    quotes = quotes_of(text)
    assert len(quotes) == 1
    assert quotes[0].direct is False
    assert quotes[0].speaker == "the Kremlin"


def test_quotation_pairing_handles_mixed_typography():
    text = "\u201cA,\u201c he said. \"B\" and \u201eC\u201d."
    spans = [text[q.start:q.end] for q in find_quotations(text)]
    assert spans == ["A,", "B", "C"]


def test_gold_dev_quote_bars(shared):
    from dateline.evaluate.gold import evaluate, load_key

    report = evaluate(load_key(p) for p in sorted((shared / "gold" / "dev").glob("*.json")))
    assert report.quotes.scores[2] >= 0.85
    assert report.speakers.value >= 0.90
    assert report.direct.scores[1] >= 0.95


def test_polnear_dev_bars(shared):
    from dateline.evaluate.polnear import evaluate, read_corpus

    totals, sources = evaluate(read_corpus(str(shared / "data" / "polnear" / "dev.jsonl")))
    assert totals["all"].scores[2] >= 0.70
    assert sources.value >= 0.85


def test_pronoun_can_refer_to_an_unnamed_person():
    text = (
        "A 62-year-old woman who lives in the building said she had been woken by the blast. "
        '"The windows came in on top of us," she said.\n'
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["A 62-year-old woman", "A 62-year-old woman"]
    assert all(q.speaker_kind == "anonymous" for q in quotes)


def test_possessive_description_of_an_institution_is_kept_whole():
    text = "Russia's defence ministry said its forces had struck military targets in the city.\n"
    q = quotes_of(text)[0]
    assert q.speaker == "Russia's defence ministry"
    assert q.speaker_kind == "organization"


def test_name_in_apposition_to_a_role_is_the_speaker():
    text = (
        "\u201cWe warned the owners in January,\u201d a union organiser, Nasrin Akter, said. "
        "She said two of the injured were in a critical condition.\n"
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Nasrin Akter", "Nasrin Akter"]
    assert quotes[0].direct and quotes[0].content == "We warned the owners in January"
    assert quotes[0].speaker_kind == "person" and quotes[0].speaker_role == "union organiser"


def test_colon_quote_after_a_cue_with_its_own_phrase():
    q = quotes_of('Zelensky wrote on Telegram: "Russia must be stopped."\n')[0]
    assert q.direct and q.content == "Russia must be stopped." and q.speaker == "Zelensky"


def test_quoted_as_saying_gives_the_quoted_person():
    q = quotes_of("State media quoted President Xi Jinping as saying that China would keep its markets open.\n")[0]
    assert q.speaker == "Xi Jinping"
    assert q.content == "China would keep its markets open"


def test_condition_of_anonymity_is_not_a_statement():
    quotes = quotes_of('"We are ready," said the commander, who asked not to be named.\n')
    assert [q.content for q in quotes] == ["We are ready"]


def test_documents_speak_for_their_authors():
    quotes = quotes_of(
        "The flood was the worst in decades, according to a statement from the interior ministry.\n"
        "The report, published by Amnesty International on Tuesday, said that 200 people had been detained.\n"
    )
    assert [q.speaker for q in quotes] == ["the interior ministry", "Amnesty International"]
    assert all(q.speaker_kind == "organization" for q in quotes)


def test_unnamed_spokesperson_is_anonymous_and_short_clauses_count():
    quotes = quotes_of(
        "A spokesperson for the Israel Defense Forces said the strike targeted a commander.\n"
        "Essex Police said work continued.\n"
    )
    assert quotes[0].speaker_kind == "anonymous"
    assert quotes[1].speaker == "Essex Police" and quotes[1].content == "work continued"


def test_writers_comment_after_which_is_not_part_of_the_statement():
    q = quotes_of(
        "The strike came after the US said it had paused some weapons shipments to Ukraine, "
        "which drew warnings in Kyiv.\n"
    )[0]
    assert q.speaker == "the US"
    assert q.content == "it had paused some weapons shipments to Ukraine"


def test_participle_after_a_reported_clause_belongs_to_the_speaker():
    quotes = quotes_of(
        "Moscow also said there was no agreement on the timing of a meeting, "
        'suggesting it could be "several months" away.\n'
    )
    assert [(q.speaker, q.content) for q in quotes] == [
        ("Moscow", "there was no agreement on the timing of a meeting"),
        ("Moscow", "it could be several months away"),
    ]


def test_statement_clause_hung_on_the_noun():
    q = quotes_of("Emergency Room, a volunteer group, said in a statement that 40 civilians were killed.\n")[0]
    assert q.speaker == "Emergency Room" and q.content == "40 civilians were killed"


def test_attribution_set_off_inside_the_sentence():
    text = ("Governor Ruth Adler visited the depot on Monday. Though the first repairs went quickly, she said, "
            "rebuilding the bridge would take years. The delay, Ms Adler told reporters on Tuesday, was the "
            "contractor's fault. So far, the council has not answered or, as might be expected from such a "
            "body, made a counteroffer.")
    quotes = quotes_of(text)
    by_cue = {q.cue: q for q in quotes}
    assert by_cue["said"].speaker == "Ruth Adler"
    assert by_cue["said"].content == "Though the first repairs went quickly rebuilding the bridge would take years"
    told = by_cue["told reporters on Tuesday"]
    assert told.speaker == "Ruth Adler" and told.content == "The delay was the contractor's fault"
    assert len(quotes) == 2  # 'as might be expected' attributes nothing


def test_calling_on_someone_to_act_is_a_statement_but_calling_someone_is_not():
    text = ("The opposition called on the government to resign immediately. "
            "The minister was called to testify before the committee. "
            "Reporters called him to ask about the deal.")
    quotes = quotes_of(text)
    assert [(q.speaker, q.cue, q.content) for q in quotes] == [
        ("The opposition", "called on the government", "to resign immediately")]


def test_someone_speaking_for_a_named_person_is_not_that_person():
    quotes = quotes_of("A spokeswoman for Hillary Clinton said the campaign had not helped her. "
                       "An aide to President Joe Biden said the talks went well.")
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [
        ("A spokeswoman for Hillary Clinton", "anonymous"), ("An aide to President Joe Biden", "anonymous")]


def test_clause_parsed_as_adverbial_and_purpose_infinitives_and_trailing_participles():
    quotes = quotes_of("Nick Merrill says that Hillary Clinton called Alicia Machado on Friday to express gratitude. "
                       "Donald Trump tweeted in the early morning hours that Machado was \u201cdisgusting\u201d. "
                       "The minister said the army would withdraw, saying the talks had failed.")
    got = [(q.speaker, q.cue, q.content) for q in quotes]
    assert ("Nick Merrill", "says", "Hillary Clinton called Alicia Machado on Friday to express gratitude") in got
    assert ("Donald Trump", "tweeted in the early morning hours", "Machado was disgusting") in got
    assert ("The minister", "saying", "the talks had failed") in got


def test_a_first_name_tells_who_he_or_she_is():
    quotes = quotes_of("Donald Trump attacked Alicia Machado on Friday. "
                       "Even on Friday, he claimed that Hillary Clinton had started the controversy.")
    assert [(q.speaker, q.content) for q in quotes] == [
        ("Donald Trump", "Hillary Clinton had started the controversy")]
