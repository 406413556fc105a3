"""Every user-visible string of the login pages, in one place for translation (en; lo later)."""

from __future__ import annotations

TEXT: dict[str, str] = {
    "lang": "en",
    "login_title": "Log in to OneDoor",
    "login_label": "Login",
    "password_label": "Password",
    "login_button": "Log in",
    "code_title": "Enter your code",
    "code_help": "Open your authenticator app and type the 6-digit code, or a recovery code.",
    "code_label": "Code",
    "code_button": "Continue",
    "logout_title": "Log out",
    "logout_question": "Do you want to log out of OneDoor?",
    "logout_button": "Log out",
    "logged_out": "You are logged out.",
    "error_title": "Something went wrong",
    "invalid_credentials": "The login or password is not correct.",
    "invalid_code": "The code is not correct.",
    "locked": "Too many attempts. Wait a while and try again.",
    "unavailable": "Logging in is not possible right now. Try again later.",
    "interaction_expired": "This page has expired. Go back to the service and start again.",
    "invalid_request": "The service sent an invalid request.",
}
