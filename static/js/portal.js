/*
 * The portal's own script: small enhancements, loaded with `defer`. Every page
 * works without it (strict CSP: no inline script, no eval); htmx only saves
 * page loads.
 */

/*
 * Table containers (.portal-table-wrap) are rendered focusable (tabindex="0")
 * so that, without JavaScript, a keyboard user can still scroll a wide table.
 * A container whose table fits needs no tab stop of its own: here it keeps
 * tabindex="0" only while it actually scrolls horizontally, re-checked when
 * the window is resized or zoomed and when htmx swaps in new content.
 */
(function () {
  "use strict";

  function updateTableStops(root) {
    var wraps = (root || document).querySelectorAll(".portal-table-wrap");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls) {
        wrap.setAttribute("tabindex", "0");
      } else if (document.activeElement !== wrap) {
        wrap.removeAttribute("tabindex");
      }
    });
  }

  var pending = false;
  function scheduleUpdate() {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      updateTableStops(document);
    });
  }

  updateTableStops(document);
  window.addEventListener("resize", scheduleUpdate);
  window.addEventListener("load", scheduleUpdate);
  document.addEventListener("htmx:afterSettle", scheduleUpdate);
})();

/*
 * Status messages shown after a form's redirect (role=status) are already on
 * the page when it loads, and a screen reader announces a live region only
 * when its content changes. So the messages are taken out and put back a
 * moment after loading: the change is announced, what is seen stays the same.
 */
(function () {
  "use strict";
  function announce() {
    document.querySelectorAll("[data-portal-announce]").forEach(function (region) {
      var nodes = Array.prototype.slice.call(region.childNodes);
      if (!nodes.length) {
        return;
      }
      nodes.forEach(function (node) {
        region.removeChild(node);
      });
      window.setTimeout(function () {
        nodes.forEach(function (node) {
          region.appendChild(node);
        });
      }, 100);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", announce);
  } else {
    announce();
  }
})();

/*
 * htmx swaps nothing when the server answers with an error (403, 500, no
 * connection): without this the click would seem to do nothing. The message
 * goes into the page's alert region (base.html), in the page's language; once,
 * not again on every failed poll of a report's status.
 */
(function () {
  "use strict";

  function sayItFailed() {
    var region = document.getElementById("portal-alerts");
    if (!region || !region.dataset.htmxError) {
      return;
    }
    if (region.textContent.indexOf(region.dataset.htmxError) !== -1) {
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
