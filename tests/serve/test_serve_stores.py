"""The web app reaches the store one way (dateline.serve.stores.read_store):
a store that cannot be opened is a 503 with the reason, as JSON for the API
and as the error page for a page."""

from fastapi.testclient import TestClient

from dateline.serve.app import create_app


def test_a_missing_store_is_a_503_with_the_reason_on_the_api_and_the_pages(tmp_path):
    missing = tmp_path / "nowhere.db"
    with TestClient(create_app(str(missing), load_model=False)) as client:
        api = client.get("/api/events")
        page = client.get("/quotes")
    assert api.status_code == 503 and "no such store" in api.json()["detail"]
    assert page.status_code == 503 and "no such store" in page.text
    assert not missing.exists()  # reading never creates a store
