"""Raw HTTP: terms, courses and sections."""


def test_term_create_get_and_errors(api):
    data = {
        "enrollment_term[name]": "Fall",
        "enrollment_term[sis_term_id]": "T1",
        "enrollment_term[start_at]": "2026-08-20T00:00:00-04:00",
        "enrollment_term[end_at]": "2026-12-20T00:00:00Z",
    }
    term = api.post("/api/v1/accounts/1/terms", data=data).json
    assert term["start_at"] == "2026-08-20T04:00:00Z"
    assert api.get("/api/v1/accounts/1/terms/sis_term_id:T1").json["id"] == term["id"]
    listed = api.get("/api/v1/accounts/1/terms").json
    assert [t["name"] for t in listed["enrollment_terms"]] == ["Default Term", "Fall"]

    duplicate = api.post("/api/v1/accounts/1/terms", data=data)
    assert duplicate.status_code == 400
    assert duplicate.json["errors"]["sis_source_id"][0]["message"] == (
        'SIS ID "T1" is already in use'
    )
    backwards = api.put(
        f"/api/v1/accounts/1/terms/{term['id']}",
        data={"enrollment_term[end_at]": "2026-01-01T00:00:00Z"},
    )
    assert backwards.status_code == 400
    assert "End dates cannot be before start dates" in str(backwards.json)


def test_course_create_and_get_by_sis(api, make_course):
    api.post(
        "/api/v1/accounts/1/terms",
        data={"enrollment_term[name]": "Fall", "enrollment_term[sis_term_id]": "T1"},
    )
    course = make_course(
        "Biology 1", sis="BIO/1", **{"course[term_id]": "sis_term_id:T1"}
    )
    assert course["workflow_state"] == "unpublished"
    fetched = api.get("/api/v1/courses/sis_course_id:BIO%2F1?include[]=term").json
    assert fetched["id"] == course["id"]
    assert fetched["term"]["name"] == "Fall"


def test_course_duplicate_sis(api, make_course):
    make_course(sis="C1")
    response = api.post(
        "/api/v1/accounts/1/courses",
        data={"course[name]": "X", "course[sis_course_id]": "C1"},
    )
    assert response.status_code == 400
    assert response.json["errors"]["sis_source_id"][0]["message"] == (
        'SIS ID "C1" is already in use'
    )


def test_course_events(api, make_course):
    course = make_course(offer="true")
    assert course["workflow_state"] == "available"
    path = f"/api/v1/courses/{course['id']}"
    assert api.put(path, data={"course[event]": "conclude"}).json["workflow_state"] == (
        "completed"
    )
    assert api.put(path, data={"course[event]": "delete"}).json["workflow_state"] == (
        "deleted"
    )
    assert api.get(path).status_code == 404
    assert api.put(path, data={"course[event]": "undelete"}).json["workflow_state"] == (
        "unpublished"
    )


def test_course_update_fields(api, make_course):
    course = make_course()
    updated = api.put(
        f"/api/v1/courses/{course['id']}",
        data={"course[name]": "Chem", "course[apply_assignment_group_weights]": "true"},
    ).json
    assert (updated["name"], updated["apply_assignment_group_weights"]) == (
        "Chem",
        True,
    )


def test_course_list_filters(api, make_course):
    make_course("Alpha", offer="true")
    make_course("Beta")
    published = api.get("/api/v1/accounts/1/courses?published=true").json
    assert [c["name"] for c in published] == ["Alpha"]
    assert [
        c["name"] for c in api.get("/api/v1/accounts/1/courses?search_term=bet").json
    ] == ["Beta"]


def test_section_create_get_update(api, make_course):
    course = make_course(sis="C1")
    section = api.post(
        "/api/v1/courses/sis_course_id:C1/sections",
        data={"course_section[name]": "P1", "course_section[sis_section_id]": "SEC1"},
    ).json
    assert section["sis_course_id"] == "C1"
    assert api.get("/api/v1/sections/sis_section_id:SEC1").json["id"] == section["id"]
    renamed = api.put(
        f"/api/v1/sections/{section['id']}", data={"course_section[name]": "P2"}
    ).json
    assert renamed["name"] == "P2"
    listed = api.get(f"/api/v1/courses/{course['id']}/sections").json
    assert [s["name"] for s in listed] == ["P2"]


def test_section_sis_update_needs_manage_sis(api, make_course):
    course = make_course()
    section = api.post(
        f"/api/v1/courses/{course['id']}/sections", data={"course_section[name]": "P1"}
    ).json
    api.control("POST", "tokens", json={"token": "nosis", "manage_sis": False})
    response = api.put(
        f"/api/v1/sections/{section['id']}",
        token="nosis",
        data={"course_section[sis_section_id]": "X"},
    )
    assert response.status_code == 401
    assert response.json == {
        "message": "You must have manage_sis permission to update sis attributes"
    }


def test_section_crosslist_and_back(api, make_course):
    home, other = make_course("Home"), make_course("Other")
    section = api.post(
        f"/api/v1/courses/{home['id']}/sections", data={"course_section[name]": "P1"}
    ).json
    moved = api.post(f"/api/v1/sections/{section['id']}/crosslist/{other['id']}").json
    assert (moved["course_id"], moved["nonxlist_course_id"]) == (
        other["id"],
        home["id"],
    )
    back = api.delete(f"/api/v1/sections/{section['id']}/crosslist").json
    assert (back["course_id"], back["nonxlist_course_id"]) == (home["id"], None)
    again = api.delete(f"/api/v1/sections/{section['id']}/crosslist")
    assert again.status_code == 400
    assert again.json == {"message": "section is not cross-listed"}


def test_section_sis_reactivation(api, make_course):
    course = make_course()
    data = {"course_section[name]": "P1", "course_section[sis_section_id]": "SEC1"}
    first = api.post(f"/api/v1/courses/{course['id']}/sections", data=data).json
    api.delete(f"/api/v1/sections/{first['id']}")
    again = api.post(
        f"/api/v1/courses/{course['id']}/sections",
        data={**data, "enable_sis_reactivation": "true"},
    ).json
    assert again["id"] == first["id"]
    assert api.get("/api/v1/sections/sis_section_id:SEC1").status_code == 200
