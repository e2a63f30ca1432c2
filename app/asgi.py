"""ASGI entry point for servers: ``uvicorn app.asgi:app``. Building the app here is the point of this module."""

from app.logging import configure_logging
from app.main import create_app

configure_logging()
app = create_app()
