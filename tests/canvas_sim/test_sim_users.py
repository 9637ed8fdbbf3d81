"""Raw HTTP: users, logins, SIS ids in paths and their error answers."""

import pytest

TAKEN = {
    "attribute": "unique_id",
    "type": "taken",
    "message": "ID already in use for this account and authentication provider",
}


def test_user_create_fields(make_user):
    user = make_user("Ann Marie Lee", login="ann@school.org", sis="S1")
    assert user["sis_user_id"] == "S1"
    assert user["login_id"] == "ann@school.org"
    assert user["email"] == "ann@school.org"
    assert user["sortable_name"] == "Lee, Ann Marie"
    assert (user["first_name"], user["last_name"]) == ("Ann Marie", "Lee")


def test_user_duplicate_login_word_for_word(api, make_user):
    make_user("Ann Lee", login="ann@school.org")
    response = api.post(
        "/api/v1/accounts/1/users",
        data={"user[name]": "Other", "pseudonym[unique_id]": "ANN@school.org"},
    )
    assert response.status_code == 400
    assert response.json == {
        "errors": {
            "user": {},
            "pseudonym": {"unique_id": [TAKEN]},
            "observee": {},
            "pairing_code": {},
            "recaptcha": None,
        }
    }


def test_user_duplicate_sis_id(api, make_user):
    make_user("Ann Lee", sis="S1")
    response = api.post(
        "/api/v1/accounts/1/users",
        data={"pseudonym[unique_id]": "b@x.org", "pseudonym[sis_user_id]": "S1"},
    )
    assert response.status_code == 400
    assert response.json["errors"]["pseudonym"]["sis_user_id"] == [
        {
            "attribute": "sis_user_id",
            "type": "taken",
            "message": 'SIS ID "S1" is already in use',
        }
    ]


def test_user_json_body_accepted(api):
    response = api.post(
        "/api/v1/accounts/1/users",
        json={"user": {"name": "Cy Po"}, "pseudonym": {"unique_id": "cy@x.org"}},
    )
    assert response.json["name"] == "Cy Po"


def test_user_sis_id_dropped_without_manage_sis(api):
    api.control("POST", "tokens", json={"token": "nosis", "manage_sis": False})
    response = api.post(
        "/api/v1/accounts/1/users",
        token="nosis",
        data={"pseudonym[unique_id]": "d@x.org", "pseudonym[sis_user_id]": "S5"},
    )
    assert response.json["sis_user_id"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/sis_user_id:CS%2F101%2E11%C3%A9",
        "/api/v1/users/sis_login_id:MIX%40School.ORG",
    ],
)
def test_user_get_by_encoded_sis_ids(api, make_user, path):
    user = make_user("Éva Ruiz", login="mix@school.org", sis="CS/101.11é")
    response = api.get(path)
    assert response.status_code == 200
    assert response.json["id"] == user["id"]


def test_user_edit_and_suspend(api, make_user):
    user = make_user("Ann Lee", sis="S1")
    response = api.put(
        "/api/v1/users/sis_user_id:S1",
        data={"user[name]": "Ann Smith", "user[event]": "suspend"},
    )
    assert response.json["sortable_name"] == "Smith, Ann"
    logins = api.get(f"/api/v1/users/{user['id']}/logins").json
    assert logins[0]["workflow_state"] == "suspended"


def test_user_search(api, make_user):
    make_user("Ann Lee", sis="S1")
    make_user("Bob Stone", sis="S2")
    names = [
        u["name"] for u in api.get("/api/v1/accounts/1/users?search_term=ston").json
    ]
    assert names == ["Bob Stone"]
    by_sis = api.get("/api/v1/accounts/1/users?search_term=S1").json
    assert [u["name"] for u in by_sis] == ["Ann Lee"]


def test_user_search_term_too_short(api):
    response = api.get("/api/v1/accounts/1/users?search_term=a")
    assert response.status_code == 400
    assert response.json == {
        "errors": [
            {
                "field": "search_term",
                "code": "invalid",
                "message": "2 or more characters is required",
            }
        ]
    }


def test_login_create_duplicate_without_wrapper(api, make_user):
    user = make_user("Ann Lee", login="ann@school.org")
    response = api.post(
        "/api/v1/accounts/1/logins",
        data={"user[id]": user["id"], "login[unique_id]": "ann@school.org"},
    )
    assert response.status_code == 400
    assert response.json == {"errors": {"unique_id": [TAKEN]}}


def test_login_add_edit_delete(api, make_user):
    user = make_user("Ann Lee", login="ann@school.org")
    second = api.post(
        "/api/v1/accounts/1/logins",
        data={"user[id]": user["id"], "login[unique_id]": "ann2@school.org"},
    ).json
    edited = api.put(
        f"/api/v1/accounts/1/logins/{second['id']}",
        data={"login[sis_user_id]": "S7", "login[workflow_state]": "suspended"},
    ).json
    assert (edited["sis_user_id"], edited["workflow_state"]) == ("S7", "suspended")
    assert len(api.get("/api/v1/accounts/1/logins").json) == 3  # with the admin's
    response = api.delete(f"/api/v1/users/{user['id']}/logins/{second['id']}")
    assert response.status_code == 200
    first = api.get(f"/api/v1/users/{user['id']}/logins").json[0]
    last = api.delete(f"/api/v1/users/{user['id']}/logins/{first['id']}")
    assert last.status_code == 400
    assert (
        last.json["errors"]["base"][0]["message"]
        == "Users must have at least one login"
    )


def test_account_list_and_get(api):
    assert api.get("/api/v1/accounts").json[0]["id"] == 1
    assert api.get("/api/v1/accounts/self").json["id"] == 1
