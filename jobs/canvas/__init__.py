"""Homeroom's Canvas client: the HTTP client, its typed errors, SIS path ids."""

from jobs.canvas.client import CanvasClient
from jobs.canvas.errors import (
    CanvasAuthError,
    CanvasConfigError,
    CanvasError,
    CanvasNotFound,
    CanvasThrottled,
    CanvasUnavailable,
    CanvasValidationError,
)

__all__ = [
    "CanvasAuthError",
    "CanvasClient",
    "CanvasConfigError",
    "CanvasError",
    "CanvasNotFound",
    "CanvasThrottled",
    "CanvasUnavailable",
    "CanvasValidationError",
]
