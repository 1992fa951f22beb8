"""Logging for the migrations: the logger named in the application settings."""
from .settings import get_app_settings


def get_logger():
    return get_app_settings().logger
