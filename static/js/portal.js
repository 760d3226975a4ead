/* The portal's own script: small, and nothing a page needs to work (every
   page works without JavaScript; htmx only saves page loads).

   htmx swaps nothing when the server answers with an error (403, 500, no
   connection): without this the click would seem to do nothing. The message
   goes into the page's live region (base.html), in the page's language. */
(function () {
  "use strict";

  function sayItFailed() {
    var region = document.getElementById("portal-messages");
    if (!region || !region.dataset.htmxError) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "utrecht-alert utrecht-alert--error";
    var text = document.createElement("p");
    text.className = "utrecht-paragraph";
    text.textContent = region.dataset.htmxError;
    alert.appendChild(text);
    region.replaceChildren(alert);
  }

  document.addEventListener("htmx:responseError", sayItFailed);
  document.addEventListener("htmx:sendError", sayItFailed);
})();
