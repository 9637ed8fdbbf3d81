"""Raw HTTP: SIS imports from zip or CSV, processed in the background."""

import io
import time
import zipfile

USERS = (
    "user_id,login_id,full_name,email,status\n"
    "S1,ann@school.org,Ann Lee,ann@school.org,active\n"
    "S2,bob@school.org,Bob Stone,bob@school.org,active\n"
    "S3,cy@school.org,Cy Po,cy@school.org,retired\n"
)
TERMS = (
    "term_id,name,status,start_date,end_date\nT1,Fall,active,2026-08-20,2026-12-20\n"
)
COURSES = "course_id,short_name,long_name,status,term_id\nC1,BIO,Biology,active,T1\n"
SECTIONS = "section_id,course_id,name,status\nSEC1,C1,Period 1,active\n"
ENROLLMENTS = (
    "course_id,section_id,user_id,role,status\n"
    "C1,SEC1,S1,student,active\n"
    "C1,SEC1,S2,teacher,active\n"
    "C1,SEC1,S9,student,active\n"
)


def _zip(files):
    """A zip archive holding `{name: text}`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _wait(api, import_id):
    """Poll an import until it reaches a final state."""
    for _ in range(200):
        row = api.get(f"/api/v1/accounts/1/sis_imports/{import_id}").json
        if row["workflow_state"] not in ("created", "importing", "initializing"):
            return row
        time.sleep(0.02)
    raise AssertionError(f"import stuck: {row}")


def test_sis_import_zip_applies_everything(api):
    data = _zip(
        {
            "enrollments.csv": ENROLLMENTS,
            "users.csv": USERS,
            "terms.csv": TERMS,
            "courses.csv": COURSES,
            "sections.csv": SECTIONS,
        }
    )
    started = api.post(
        "/api/v1/accounts/1/sis_imports?import_type=instructure_csv",
        data={"attachment": (io.BytesIO(data), "roster.zip")},
        content_type="multipart/form-data",
    )
    assert started.status_code == 200
    assert started.json["workflow_state"] == "created"
    assert started.json["progress"] == 0
    done = _wait(api, started.json["id"])
    assert done["workflow_state"] == "imported_with_messages"
    assert done["progress"] == 100
    counts = done["data"]["counts"]
    assert (counts["users"], counts["terms"], counts["courses"]) == (2, 1, 1)
    assert (counts["sections"], counts["enrollments"]) == (1, 2)
    assert ["users.csv", "Improper status for user S3"] in done["processing_warnings"]
    assert any(
        "User not found for enrollment" in w[1] for w in done["processing_warnings"]
    )
    assert sorted(done["data"]["supplied_batches"]) == [
        "course",
        "enrollment",
        "section",
        "term",
        "user",
    ]

    user = api.get("/api/v1/users/sis_user_id:S1").json
    assert user["sis_import_id"] == done["id"]
    course = api.get("/api/v1/courses/sis_course_id:C1?include[]=term").json
    assert course["term"]["name"] == "Fall"
    rows = api.get("/api/v1/sections/sis_section_id:SEC1/enrollments").json
    assert {(r["sis_user_id"], r["type"], r["enrollment_state"]) for r in rows} == {
        ("S1", "StudentEnrollment", "active"),
        ("S2", "TeacherEnrollment", "active"),
    }


def test_sis_import_raw_csv_body(api):
    started = api.post(
        "/api/v1/accounts/1/sis_imports?import_type=instructure_csv&extension=csv",
        data=USERS.replace("retired", "active").encode(),
        content_type="text/csv",
    )
    done = _wait(api, started.json["id"])
    assert done["workflow_state"] == "imported"
    assert "processing_warnings" not in done
    assert done["data"]["counts"]["users"] == 3


def test_sis_import_deletes_and_reimports_in_place(api):
    for body in (USERS, "user_id,login_id,status\nS1,ann@school.org,deleted\n"):
        started = api.post(
            "/api/v1/accounts/1/sis_imports?extension=csv",
            data=body.encode(),
            content_type="text/csv",
        )
        _wait(api, started.json["id"])
    assert api.get("/api/v1/users/sis_user_id:S1").status_code == 404
    assert len(api.control("GET", "state/logins?sis_user_id=S1").json) == 1


def test_sis_import_unknown_headers_fail(api):
    started = api.post(
        "/api/v1/accounts/1/sis_imports?extension=csv",
        data=b"foo,bar\n1,2\n",
        content_type="text/csv",
    )
    done = _wait(api, started.json["id"])
    assert done["workflow_state"] == "failed_with_messages"
    assert done["processing_errors"] == [
        ["sis_import.csv", "Couldn't find Canvas CSV import headers"]
    ]


def test_sis_import_missing_attachment(api):
    response = api.post(
        "/api/v1/accounts/1/sis_imports", data={"import_type": "instructure_csv"}
    )
    assert response.status_code == 400
    assert response.json == {"error": True, "error_message": "Missing attachment"}


def test_sis_import_list_and_progress_states(api):
    api.control("PUT", "config", json={"sis_import_step_s": 0.2})
    started = api.post(
        "/api/v1/accounts/1/sis_imports?extension=csv",
        data=USERS.encode(),
        content_type="text/csv",
    ).json
    seen = set()
    for _ in range(100):
        row = api.get(f"/api/v1/accounts/1/sis_imports/{started['id']}").json
        seen.add(row["workflow_state"])
        if row["workflow_state"].startswith("imported"):
            break
        time.sleep(0.05)
    assert {"created", "importing"} <= seen
    listed = api.get("/api/v1/accounts/1/sis_imports").json
    assert [r["id"] for r in listed["sis_imports"]] == [started["id"]]


def test_sis_import_batch_mode_deletes_missing(api):
    first = _zip(
        {"terms.csv": TERMS, "courses.csv": COURSES + "C2,CHEM,Chem,active,T1\n"}
    )
    started = api.post(
        "/api/v1/accounts/1/sis_imports",
        data={"attachment": (io.BytesIO(first), "a.zip")},
        content_type="multipart/form-data",
    )
    _wait(api, started.json["id"])
    second = api.post(
        "/api/v1/accounts/1/sis_imports?batch_mode=1&batch_mode_term_id=sis_term_id:T1",
        data={"attachment": (io.BytesIO(_zip({"courses.csv": COURSES})), "b.zip")},
        content_type="multipart/form-data",
    )
    done = _wait(api, second.json["id"])
    assert done["data"]["counts"]["batch_courses_deleted"] == 1
    assert api.get("/api/v1/courses/sis_course_id:C2").status_code == 404
