"""Speakers across the store: one person quoted in several articles, under
several forms of the name, is one person with a stable id, and "quotes by X"
gathers every article's quotes (both backends, real model)."""

import json
import subprocess
import sys

import dateline
from dateline.model import Article
from dateline.store import Store
from dateline.store.persons import person_id

ARTICLES = {
    # The short form is stored first: the full name, stored later, takes its quotes over.
    "sub-2": "\"We will not stop until we find them,\" Mr Tjahjanto told reporters in Bali on Tuesday.",
    "sub-1": "Security Minister Hadi Tjahjanto said on Monday the search for the missing submarine would go on.",
    "jail-1": "Honduras' security ministry spokesperson Miguel Mart\u00ednez said the attack was caught on camera.",
    "jail-2": "Miguel Martinez, a spokesman for the ministry, said the prison had been searched twice.",
    "school-1": "Donald Trump said on Monday that the school would reopen.",
    "school-2": "Melania Trump said on Tuesday that the children had been brave.",
    "school-3": "Mr Trump said on Wednesday that the building was safe.",
}


def store_all(target, ids=ARTICLES):
    with Store.open(target) as store:
        for article_id in ids:
            text = ARTICLES[article_id]
            store.add(Article(id=article_id, text=text), dateline.analyze_text(text))


def articles_of(rows):
    return sorted(r["article_id"] for r in rows)


def test_one_person_under_every_form_of_the_name_is_one_entity(store_target):
    store_all(store_target)
    with Store.open(store_target) as store:
        assert articles_of(store.quotes(speaker="Hadi Tjahjanto")) == ["sub-1", "sub-2"]
        assert articles_of(store.quotes(speaker="Martinez")) == ["jail-1", "jail-2"]
        assert articles_of(store.quotes(speaker="Mart\u00ednez")) == ["jail-1", "jail-2"]
        found = store.persons(name="Tjahjanto")
        assert [(p["id"], p["quotes"], p["articles"]) for p in found] == [("person:hadi-tjahjanto", 2, 2)]
        assert articles_of(store.quotes(person="person:hadi-tjahjanto")) == ["sub-1", "sub-2"]
        # The short form's own id still finds them.
        assert articles_of(store.quotes(person="person:tjahjanto")) == ["sub-1", "sub-2"]


def test_near_miss_a_surname_two_people_share_joins_neither(store_target):
    store_all(store_target, ["school-1", "school-2", "school-3"])
    with Store.open(store_target) as store:
        assert articles_of(store.quotes(speaker="Melania Trump")) == ["school-2"]
        assert articles_of(store.quotes(speaker="Donald Trump")) == ["school-1"]
        ids = {p["id"] for p in store.persons()}
        assert ids == {"person:donald-trump", "person:melania-trump", "person:trump"}


def test_ids_are_stable_names():
    assert person_id("Mr. Miguel Mart\u00ednez's", "person") == "person:miguel-martinez"
    assert person_id("the Kremlin", "organization") == "organization:kremlin"
    assert person_id("a senior official", "anonymous") is None


def test_quotes_stored_before_the_persons_table_are_linked_by_its_migration(store_target):
    store_all(store_target, ["sub-2", "sub-1"])
    with Store.open(store_target) as store:  # back to the schema before persons
        with store.transaction():
            store.conn.execute("DROP INDEX quotes_person")
            store.conn.execute("ALTER TABLE quotes DROP COLUMN person_id")
            store.conn.execute("DROP TABLE persons")
            store.conn.execute("DELETE FROM schema_migrations WHERE version = 6")
    with Store.open(store_target) as store:  # opening migrates
        assert store.schema_version() >= 6
        assert articles_of(store.quotes(person="person:hadi-tjahjanto")) == ["sub-1", "sub-2"]


def test_persons_and_quotes_by_person_on_the_command_line(tmp_path):
    target = str(tmp_path / "p.db")
    store_all(target, ["jail-1", "jail-2"])

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "dateline", *args, "--db", target, "--json"],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return [json.loads(line) for line in proc.stdout.splitlines()]

    persons = run("persons", "martinez")
    assert [(p["id"], p["quotes"]) for p in persons] == [("person:miguel-martinez", 2)]
    assert articles_of(run("quotes", "--person", "person:miguel-martinez")) == ["jail-1", "jail-2"]
