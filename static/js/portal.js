// The portal's own script; the pages work without it.
//
// A status message shown after a form's redirect (role=status) is already on
// the page when it loads, and a screen reader announces a live region only when
// its content changes. So the messages are taken out and put back a moment
// after loading: the change is announced, what is seen stays the same.
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
