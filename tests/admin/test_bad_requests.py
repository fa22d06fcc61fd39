"""Bad requests to the admin get a clear page and change nothing: malformed forms, too much at
once, odd ids and keys in the path, and anything at all typed into the login form."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.admin.conftest import AdminWorld


def test_a_malformed_form_is_a_400_page_not_a_500(admin: AdminWorld) -> None:
    admin.log_in("ada")
    token = admin.csrf()
    broken = admin.client.post(
        "/admin/accounts",
        content=b"--x\r\nContent-Disposition: form-data; name=\r\n\r\nnope",
        headers={
            "Content-Type": "multipart/form-data",  # with no boundary, it cannot be read
            "Origin": admin.origin,
            "X-CSRF-Token": token,
        },
    )
    assert broken.status_code == 400
    assert "The form could not be read." in broken.text
    assert "text/html" in broken.headers["content-type"]


def test_too_much_at_once_is_refused_before_it_is_read(admin: AdminWorld) -> None:
    admin.log_in("ada")
    big = admin.post("/admin/accounts", {"display_name": "x" * (3 * 1024 * 1024)})
    assert big.status_code == 413
    assert "too much to send at once" in big.text


def test_odd_ids_and_keys_in_the_path_are_404_pages(admin: AdminWorld) -> None:
    admin.log_in("ada")
    for path in (
        "/admin/sessions/%EF%BC%91/end",  # a full-width digit one
        "/admin/sessions/99999999999999999999/end",
        "/admin/sessions/-1/end",
    ):
        answer = admin.post(path)
        assert answer.status_code == 404, path
        assert "There is nothing at this address." in answer.text


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    username=st.text(max_size=300),
    password=st.text(max_size=300),
    target=st.text(max_size=200),
)
def test_anything_typed_into_the_login_form_gets_a_page_never_a_500(
    admin: AdminWorld, username: str, password: str, target: str
) -> None:
    admin.client.cookies.clear()
    form = admin.client.get("/admin/login")
    token = form.text.split('name="login_token" value="')[1].split('"')[0]
    answer = admin.client.post(
        "/admin/login",
        data={"username": username, "password": password, "login_token": token, "next": target},
        headers={"Origin": admin.origin},
        follow_redirects=False,
    )
    assert answer.status_code in (303, 401, 429)
    if answer.status_code == 303:
        assert answer.headers["location"].startswith("/admin")


def test_the_admin_without_its_slash_or_with_one_too_many_leads_to_the_page(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    home = admin.get("/admin")
    assert home.status_code == 308
    assert home.headers["location"] == "/admin/"
    typed = admin.get("/admin/residents/")
    assert typed.status_code in (307, 308)
    assert typed.headers["location"].endswith("/admin/residents")
