"""The gate in front of every Streamlit page: passcode, OIDC login, or a projector key."""

from __future__ import annotations

import hashlib
import secrets
import time

import streamlit as st
from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

from workshop import runtime
from workshop.runtime import passcode_throttle, workshop

SIGNED_IN = "facilitator_signed_in"


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all: the documented default
        return None


def oidc_configured() -> bool:
    return bool(_secret("auth"))


def announce_passcode() -> None:
    """Print the generated passcode at start (or where it is kept); nothing if one is configured."""
    runtime.announce_passcode(_secret("facilitator_passcode"))


def passcode_ok(attempt: str) -> bool:
    return runtime.passcode_matches(attempt, _secret("facilitator_passcode"))


PROJECTOR_KEYS = "projector_keys"  # session code -> the key this browser made, kept in this tab only


def projector_link(code: str) -> str | None:
    """The projector link this facilitator's tab made for the session, if it made one.

    Only the key's hash is stored, so a new tab (or a restart) must make a new link.
    """
    key = st.session_state.get(PROJECTOR_KEYS, {}).get(code)
    return f"/projector?code={code}&key={key}" if key else None


def new_projector_link(code: str) -> None:
    """Make a new projector key for the session; a projector tab with the old one stops."""
    st.session_state.setdefault(PROJECTOR_KEYS, {})[code] = workshop().new_projector_key(code)


def is_facilitator() -> bool:
    if st.session_state.get(SIGNED_IN):
        return True
    if oidc_configured() and st.user.is_logged_in:
        allowed = _secret("facilitator_emails")
        return not allowed or st.user.get("email") in allowed
    return False


def opens_projector_with_key() -> bool:
    params = st.query_params
    return workshop().projector_key_matches(params.get("code", ""), params.get("key", ""))


def may_see_projector() -> bool:
    """Checked on every projector refresh, so a replaced link goes blank within a second."""
    return is_facilitator() or opens_projector_with_key()


def _who() -> dict[str, str | None]:
    """Throttle keys of this attempt, kept in memory only: client address, tab session, browser."""
    if "throttle_session" not in st.session_state:
        st.session_state["throttle_session"] = secrets.token_hex(16)
    browser = None
    token, _ = decode_xsrf_token_string(st.context.cookies.get("_streamlit_xsrf", "") or "")
    if token:  # the same browser keeps these bytes across reloads; only the mask changes
        browser = hashlib.sha256(token).hexdigest()
    return {"address": st.context.ip_address or "local", "session": st.session_state["throttle_session"],
            "browser": browser}


def _check(attempt: str) -> None:
    who = _who()
    wait = passcode_throttle.wait_seconds(**who)
    if wait > 0:
        st.session_state["passcode_message"] = f"Too many wrong passcodes. Try again in {wait:.0f} s."
        return
    ok = passcode_ok(attempt)
    passcode_throttle.record(ok, **who)
    if ok:
        st.session_state[SIGNED_IN] = True
        st.session_state.pop("passcode_message", None)
    else:
        time.sleep(0.5)  # every wrong guess costs time, on top of the throttle
        st.session_state["passcode_message"] = "That passcode is not right."


def sign_in_form() -> None:
    st.title("IPNB live workshop")
    st.write("This is the facilitator's side. If you are a participant, scan the QR code in the room "
             "or open the address shown on the screen.")
    if oidc_configured():
        st.button("Log in", key="oidc_login", on_click=st.login, type="primary")
        if st.user.is_logged_in:
            st.error("This account is not on the list of facilitators.")
        return
    with st.form("passcode_form", border=True):
        attempt = st.text_input("Facilitator passcode", type="password", key="passcode_input",
                                help="Set WORKSHOP_PASSCODE or facilitator_passcode in "
                                     ".streamlit/secrets.toml; otherwise see the terminal that "
                                     "started the app.")
        if st.form_submit_button("Enter", type="primary", key="passcode_submit"):
            _check(attempt)
            if st.session_state.get(SIGNED_IN):
                st.rerun()
    if st.session_state.get("passcode_message"):
        st.error(st.session_state["passcode_message"])
