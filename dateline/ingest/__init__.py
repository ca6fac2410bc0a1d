"""Reading articles from files: plain text, HTML, JSON and JSON Lines."""
