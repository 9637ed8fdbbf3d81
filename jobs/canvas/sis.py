"""Canvas path ids built from SIS ids: `sis_user_id:X`, percent-escaped.

Canvas resolves `<type>:<value>` wherever a path takes an id. The value is
encoded as UTF-8 and every character but letters, digits, `-`, `_` and `~`
is escaped, dots included, because Rails would read `.11` as a format.
"""

from urllib.parse import quote


def escape(value):
    """Percent-escape a SIS id for use inside one path segment."""
    return quote(str(value), safe="").replace(".", "%2E")


def sis_path_id(kind, value):
    """Return `<kind>:<escaped value>`, e.g. `sis_course_id:CS%2F101`."""
    return f"{kind}:{escape(value)}"


def user_id(value):
    """A user path id from a SIS user id."""
    return sis_path_id("sis_user_id", value)


def login_id(value):
    """A user path id from a login id (an email, case-insensitive)."""
    return sis_path_id("sis_login_id", value)


def course_id(value):
    """A course path id from a SIS course id."""
    return sis_path_id("sis_course_id", value)


def section_id(value):
    """A section path id from a SIS section id."""
    return sis_path_id("sis_section_id", value)


def term_id(value):
    """A term path id from a SIS term id."""
    return sis_path_id("sis_term_id", value)


def param_id(kind, value):
    """`<kind>:<value>` unescaped, for form parameters such as `enrollment[user_id]`."""
    return f"{kind}:{value}"
