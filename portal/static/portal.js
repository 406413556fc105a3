// Progressive enhancement only: every page works without this file.
// Forms marked data-once disable their submit button after the first submission, so a
// slow rural link does not send the same form twice.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) {
    return;
  }
  if (form.getAttribute("data-sent") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-sent", "true");
  var button = form.querySelector("button[type=submit][data-busy-label]");
  if (button) {
    button.setAttribute("aria-disabled", "true");
    button.textContent = button.getAttribute("data-busy-label");
  }
});
