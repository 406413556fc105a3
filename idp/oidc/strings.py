"""Every user-visible string of the IdP's own pages, in Lao and English.

Keys are stable: templates use them, and failure reasons (``invalid_code``, ``locked``...)
name their message directly. Both languages must hold the same keys (a test checks).
"""

from __future__ import annotations

from collections.abc import Mapping

EN: dict[str, str] = {
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
    "key_title": "Use your security key",
    "key_help": "Insert or touch your security key, then press the button.",
    "key_button": "Use security key",
    "key_failed": "The security key did not answer. Try again.",
    "invalid_key": "The security key was not accepted.",
    "no_key_title": "A security key is needed",
    "no_security_key": "This account logs in with a security key, and none is registered. "
    "Ask an operator for an enrolment token.",
    "enrol_title": "Register your security key",
    "enrol_help": "Enter the enrolment token you received with your account.",
    "enrol_token_label": "Enrolment token",
    "enrol_key_help": "Insert or touch your new security key, then press the button.",
    "enrol_button": "Register security key",
    "invalid_token": "This enrolment token is not valid, has expired or was already used.",
    "key_refused": "The security key could not be registered. Try again.",
    "key_registered": "Your security key is registered. You can now log in.",
}

LO: dict[str, str] = {
    "login_title": "ເຂົ້າສູ່ລະບົບ OneDoor",
    "login_label": "ຊື່ຜູ້ໃຊ້",
    "password_label": "ລະຫັດຜ່ານ",
    "login_button": "ເຂົ້າສູ່ລະບົບ",
    "code_title": "ປ້ອນລະຫັດຂອງທ່ານ",
    "code_help": "ເປີດແອັບຢືນຢັນຕົວຕົນຂອງທ່ານ ແລ້ວພິມລະຫັດ 6 ຕົວເລກ ຫຼື ລະຫັດກູ້ຄືນ.",
    "code_label": "ລະຫັດ",
    "code_button": "ສືບຕໍ່",
    "logout_title": "ອອກຈາກລະບົບ",
    "logout_question": "ທ່ານຕ້ອງການອອກຈາກລະບົບ OneDoor ບໍ?",
    "logout_button": "ອອກຈາກລະບົບ",
    "logged_out": "ທ່ານໄດ້ອອກຈາກລະບົບແລ້ວ.",
    "error_title": "ເກີດຂໍ້ຜິດພາດ",
    "invalid_credentials": "ຊື່ຜູ້ໃຊ້ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ.",
    "invalid_code": "ລະຫັດບໍ່ຖືກຕ້ອງ.",
    "locked": "ພະຍາຍາມຫຼາຍເທື່ອເກີນໄປ. ກະລຸນາລໍຖ້າຈັກໜ່ອຍ ແລ້ວລອງໃໝ່.",
    "unavailable": "ບໍ່ສາມາດເຂົ້າສູ່ລະບົບໄດ້ໃນຕອນນີ້. ກະລຸນາລອງໃໝ່ພາຍຫຼັງ.",
    "interaction_expired": "ໜ້ານີ້ໝົດອາຍຸແລ້ວ. ກະລຸນາກັບໄປທີ່ບໍລິການ ແລ້ວເລີ່ມໃໝ່.",
    "invalid_request": "ບໍລິການໄດ້ສົ່ງຄຳຮ້ອງຂໍທີ່ບໍ່ຖືກຕ້ອງ.",
    "key_title": "ໃຊ້ກະແຈຄວາມປອດໄພຂອງທ່ານ",
    "key_help": "ສຽບ ຫຼື ແຕະກະແຈຄວາມປອດໄພຂອງທ່ານ ແລ້ວກົດປຸ່ມ.",
    "key_button": "ໃຊ້ກະແຈຄວາມປອດໄພ",
    "key_failed": "ກະແຈຄວາມປອດໄພບໍ່ຕອບສະໜອງ. ກະລຸນາລອງໃໝ່.",
    "invalid_key": "ກະແຈຄວາມປອດໄພນີ້ບໍ່ຖືກຍອມຮັບ.",
    "no_key_title": "ຕ້ອງໃຊ້ກະແຈຄວາມປອດໄພ",
    "no_security_key": "ບັນຊີນີ້ເຂົ້າສູ່ລະບົບດ້ວຍກະແຈຄວາມປອດໄພ ແຕ່ຍັງບໍ່ມີກະແຈໃດຖືກລົງທະບຽນໄວ້. "
    "ກະລຸນາຂໍລະຫັດລົງທະບຽນຈາກຜູ້ດູແລລະບົບ.",
    "enrol_title": "ລົງທະບຽນກະແຈຄວາມປອດໄພຂອງທ່ານ",
    "enrol_help": "ປ້ອນລະຫັດລົງທະບຽນທີ່ທ່ານໄດ້ຮັບພ້ອມກັບບັນຊີຂອງທ່ານ.",
    "enrol_token_label": "ລະຫັດລົງທະບຽນ",
    "enrol_key_help": "ສຽບ ຫຼື ແຕະກະແຈຄວາມປອດໄພອັນໃໝ່ຂອງທ່ານ ແລ້ວກົດປຸ່ມ.",
    "enrol_button": "ລົງທະບຽນກະແຈຄວາມປອດໄພ",
    "invalid_token": "ລະຫັດລົງທະບຽນນີ້ບໍ່ຖືກຕ້ອງ, ໝົດອາຍຸແລ້ວ ຫຼື ຖືກໃຊ້ໄປແລ້ວ.",
    "key_refused": "ບໍ່ສາມາດລົງທະບຽນກະແຈຄວາມປອດໄພໄດ້. ກະລຸນາລອງໃໝ່.",
    "key_registered": "ກະແຈຄວາມປອດໄພຂອງທ່ານຖືກລົງທະບຽນແລ້ວ. ທ່ານສາມາດເຂົ້າສູ່ລະບົບໄດ້ແລ້ວ.",
}

STRINGS: Mapping[str, Mapping[str, str]] = {"lo": LO, "en": EN}


def text_for(language: str) -> Mapping[str, str]:
    """The strings of ``language`` (one of :data:`STRINGS`), with ``lang`` for ``<html lang>``."""
    return {**STRINGS[language], "lang": language}
