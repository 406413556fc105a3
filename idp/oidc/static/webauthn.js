// WebAuthn ceremonies for the login and enrolment pages (W3C WebAuthn Level 2, 5.1.3-5.1.4).
// A form with data-webauthn="get" or "create" carries the server's options as JSON in
// data-options; the credential is posted back as JSON in its hidden "credential" field.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function publicKeyOptions(json, kind) {
    var options = JSON.parse(json);
    options.challenge = toBytes(options.challenge);
    var listed = kind === "create" ? options.excludeCredentials : options.allowCredentials;
    (listed || []).forEach(function (credential) { credential.id = toBytes(credential.id); });
    if (kind === "create") { options.user.id = toBytes(options.user.id); }
    return options;
  }

  function credentialJson(credential) {
    var response = credential.response;
    var out = {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (credential.authenticatorAttachment) {
      out.authenticatorAttachment = credential.authenticatorAttachment;
    }
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      if (response.getTransports) { out.response.transports = response.getTransports(); }
    } else {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      if (response.userHandle) { out.response.userHandle = toText(response.userHandle); }
    }
    return JSON.stringify(out);
  }

  function ceremony(form) {
    var kind = form.getAttribute("data-webauthn");
    var publicKey = publicKeyOptions(form.getAttribute("data-options"), kind);
    return kind === "create"
      ? navigator.credentials.create({ publicKey: publicKey })
      : navigator.credentials.get({ publicKey: publicKey });
  }

  document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector("[data-webauthn-status]");
      status.hidden = true;
      if (!window.PublicKeyCredential) {
        status.textContent = form.getAttribute("data-error");
        status.hidden = false;
        return;
      }
      ceremony(form).then(function (credential) {
        form.querySelector("input[name=credential]").value = credentialJson(credential);
        form.submit();
      }).catch(function () {
        status.textContent = form.getAttribute("data-error");
        status.hidden = false;
      });
    });
  });
})();
