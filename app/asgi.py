"""ASGI entry point for servers: ``uvicorn app.asgi:app``. Building the app here is the point of this module.

Each worker process reads the settings once: ``LOG_LEVEL`` applies to it as to ``savoirs serve``'s parent."""

from app.config import load_settings
from app.logging import configure_logging
from app.main import create_app

_settings = load_settings()
configure_logging(_settings.log_level)
app = create_app(_settings)
