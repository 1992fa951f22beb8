"""Logging for the migrations: the logger named in the logging settings."""
from .settings import get_logging_settings


def get_logger():
    return get_logging_settings().logger
