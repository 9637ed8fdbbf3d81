"""The errors the Canvas client raises, one type per way a call can fail.

Jobs catch these: the transient ones (`CanvasThrottled`, `CanvasUnavailable`)
mean "try again later", the rest need a person to change something.
"""


class CanvasError(Exception):
    """A Canvas call failed; `message` is fit to show a school admin."""

    transient = False

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body

    def __str__(self):
        return self.message


class CanvasConfigError(CanvasError):
    """Homeroom has no usable Canvas settings (URL, token or account)."""


class CanvasAuthError(CanvasError):
    """Canvas refused the token (`bad_token`) or the token lacks a permission."""

    def __init__(self, message, status=401, body=None, bad_token=False):
        super().__init__(message, status, body)
        self.bad_token = bad_token


class CanvasNotFound(CanvasError):
    """The id in the path names nothing in Canvas."""


class CanvasValidationError(CanvasError):
    """Canvas refused the values sent (400, 409, 422).

    `fields` maps a field name to its error entries, each a dict with
    `attribute`, `type` and `message` as Canvas gives them; `user[...]` and
    `pseudonym[...]` groups of the create-user answer are flattened to
    `user.name`, `pseudonym.unique_id`.
    """

    def __init__(self, message, status=400, body=None, fields=None):
        super().__init__(message, status, body)
        self.fields = fields or {}

    def has(self, field, error_type=None):
        """Say whether a field (e.g. `pseudonym.sis_user_id`) has an error."""
        entries = self.fields.get(field) or []
        if error_type is None:
            return bool(entries)
        return any(entry.get("type") == error_type for entry in entries)


class CanvasThrottled(CanvasError):
    """Canvas kept answering "Rate Limit Exceeded" (403 or 429) after retries."""

    transient = True


class CanvasUnavailable(CanvasError):
    """Canvas timed out, could not be reached or answered 5xx after retries."""

    transient = True
