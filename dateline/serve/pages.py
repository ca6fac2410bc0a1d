"""HTML pages of the web app, rendered on the server from the store."""

from fastapi import APIRouter

router = APIRouter()
