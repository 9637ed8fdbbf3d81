"""What Homeroom sends to Canvas for each record, from plain values.

Each `*_payload` returns the facts a record pushes (hashed to skip writes
that would change nothing); each `*_params` turns a payload into the form
fields of one Canvas call.
"""


def person_payload(first, last, preferred, email, sis_user_id):
    """The facts a student or staff member pushes to Canvas."""
    given = preferred or first
    return {
        "name": f"{given} {last}".strip(),
        "short_name": given,
        "sortable_name": f"{last}, {given}" if last else given,
        "email": (email or "").strip().lower(),
        "sis_user_id": sis_user_id,
    }


def user_create_params(payload, send_invitations):
    """Form fields creating a Canvas user whose login is the person's email."""
    return {
        "user[name]": payload["name"],
        "user[short_name]": payload["short_name"],
        "user[sortable_name]": payload["sortable_name"],
        "user[skip_registration]": "true",
        "user[terms_of_use]": "true",
        "pseudonym[unique_id]": payload["email"],
        "pseudonym[sis_user_id]": payload["sis_user_id"],
        "pseudonym[send_confirmation]": _flag(send_invitations),
        "communication_channel[type]": "email",
        "communication_channel[address]": payload["email"],
        "communication_channel[skip_confirmation]": _flag(not send_invitations),
        "enable_sis_reactivation": "true",
    }


def user_update_params(payload):
    """Form fields updating a Canvas user's names and email."""
    return {
        "user[name]": payload["name"],
        "user[short_name]": payload["short_name"],
        "user[sortable_name]": payload["sortable_name"],
        "user[email]": payload["email"],
    }


def user_matches(payload, canvas_user):
    """Say whether a Canvas user already shows what the payload would send."""
    return (
        canvas_user.get("name") == payload["name"]
        and canvas_user.get("sortable_name") == payload["sortable_name"]
        and (canvas_user.get("login_id") or "").lower() == payload["email"]
    )


def term_payload(title, start_date, end_date, sis_term_id):
    """The facts a marking period pushes as a Canvas enrollment term."""
    return {
        "name": title,
        "start_at": f"{start_date.isoformat()}T00:00:00Z",
        "end_at": f"{end_date.isoformat()}T23:59:59Z",
        "sis_term_id": sis_term_id,
    }


def term_params(payload):
    """Form fields creating or updating an enrollment term."""
    return {f"enrollment_term[{key}]": value for key, value in payload.items()}


def course_payload(name, code, sis_course_id, sis_term_id):
    """The facts a synced section pushes as its Canvas course."""
    return {
        "name": name,
        "course_code": code,
        "sis_course_id": sis_course_id,
        "term_id": f"sis_term_id:{sis_term_id}",
    }


def course_params(payload):
    """Form fields creating or updating a course."""
    return {f"course[{key}]": value for key, value in payload.items()}


def section_payload(name, sis_section_id):
    """The facts a synced section pushes as the course's one Canvas section."""
    return {"name": name, "sis_section_id": sis_section_id}


def section_params(payload):
    """Form fields creating or updating a course section."""
    return {f"course_section[{key}]": value for key, value in payload.items()}


def enrollment_params(sis_user_id, kind, send_invitations):
    """Form fields enrolling a user, active unless invitations are wanted."""
    return {
        "enrollment[user_id]": f"sis_user_id:{sis_user_id}",
        "enrollment[type]": kind,
        "enrollment[enrollment_state]": "invited" if send_invitations else "active",
        "enrollment[notify]": _flag(send_invitations),
    }


def _flag(value):
    """Canvas's spelling of a boolean form field."""
    return "true" if value else "false"
