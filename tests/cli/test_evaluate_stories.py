"""`dateline evaluate --stories`: the stories scored against an article
clustering (ECB+ style: id + subtopic), as the research corpora score them."""

from __future__ import annotations

import json

import pytest
from test_cli import assert_error_line, run

from dateline.evaluate.stories import score


def test_a_perfect_clustering_scores_one_and_one_story_for_all_does_not():
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    perfect = score(gold, {"a": "x", "b": "x", "c": "y", "d": "y"})
    assert perfect["pairwise"]["f1"] == 1.0 and perfect["bcubed"]["f1"] == 1.0
    lumped = score(gold, {k: "x" for k in gold}, topics={k: "t" for k in gold})
    # 6 pairs linked, 2 of them right; each article's story is half right
    assert lumped["pairwise"]["p"] == pytest.approx(2 / 6) and lumped["pairwise"]["r"] == 1.0
    assert lumped["bcubed"]["p"] == 0.5 and lumped["bcubed"]["r"] == 1.0
    assert lumped["false_links"] == {"within_topic": 4, "across_topics": 0}


def test_an_article_in_no_story_is_a_story_of_its_own():
    figures = score({"a": "1", "b": "1"}, {"a": "x"})
    assert figures["stories"] == 2 and figures["pairwise"]["r"] == 0.0 and figures["bcubed"]["p"] == 1.0


ARRESTS = [  # two players of one club, each arrested for drunk driving: the words match, the people do not
    ("a1", "delgado", "Sharks striker Marco Delgado arrested on drunk-driving charge",
     "Harbor City Sharks striker Marco Delgado was arrested on suspicion of drunk driving, police said.\n"
     "Delgado, 27, was stopped by highway patrol officers after his car was seen weaving across lanes."),
    ("a2", "delgado", "Delgado held after late-night traffic stop",
     "Police arrested Sharks forward Marco Delgado on suspicion of driving under the influence.\n"
     "The club said it was aware of the arrest and would not comment further."),
    ("b1", "rennert", "Sharks defender Tobias Rennert faces DUI charge",
     "Harbor City Sharks defender Tobias Rennert was arrested on suspicion of drunk driving on the coast road.\n"
     "Rennert was released on bail hours later, a highway patrol spokesman said."),
    ("b2", "rennert", "Second Sharks player in trouble with the law",
     "Police arrested Sharks defender Tobias Rennert on suspicion of driving under the influence.\n"
     "The team said it was gathering information and would have no comment."),
]


def test_the_command_ingests_the_gold_articles_and_scores_their_stories(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": i, "topic": "sharks", "subtopic": label, "source": f"Outlet {i}",
                                        "title": title, "text": text}) + "\n"
                            for i, label, title, text in ARRESTS), encoding="utf-8")
    proc = run("evaluate", "--stories", gold, "--part", "held-out")
    assert proc.returncode == 0, proc.stderr
    first, held_out = proc.stdout.splitlines()
    assert first.startswith("all: articles 4, stories 2 (gold 2)") and "pairwise P 1.000 R 1.000 F1 1.000" in first
    assert held_out.startswith("held-out: articles 1,")  # every third line: b1 alone


def test_a_malformed_gold_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a1", "subtopic": "1"}\n{"id": "a2", \n', encoding="utf-8")
    proc = run("evaluate", "--stories", bad, "--db", tmp_path / "none.db")
    assert proc.returncode == 2
    assert_error_line(proc, "none.db")
    unlabelled = tmp_path / "unlabelled.jsonl"
    unlabelled.write_text('{"id": "a1"}\n', encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(bytes(range(256)) * 4)
    for path, words in ((bad, ("bad.jsonl", "not JSON Lines")), (unlabelled, ("unlabelled.jsonl", "subtopic")),
                        (empty, ("empty.jsonl", "no articles")), (binary, ("binary.jsonl",))):
        proc = run("evaluate", "--stories", path)
        assert proc.returncode == 2
        assert_error_line(proc, *words)
