"""The web app: a JSON API under /api/ and HTML pages over a corpus store.

    dateline serve --db dateline.db            # http://127.0.0.1:8000/

    from dateline.serve.app import create_app
    app = create_app("dateline.db", api_key="secret")   # any ASGI server
"""
