/*
 * Small enhancements for the staff portal. Loaded with `defer`; the pages work
 * without it (strict CSP: no inline script, no eval).
 *
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
