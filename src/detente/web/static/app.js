// détente live app: the clocks, and leaving when the session is revoked. No inline scripts
// (the Content-Security-Policy forbids them); everything else is HTMX attributes.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = new Date();
    document.querySelectorAll("[data-clock]").forEach(function (el) {
      try {
        el.textContent = now.toLocaleTimeString("en-GB", {
          hour: "2-digit", minute: "2-digit", second: "2-digit",
          timeZone: el.getAttribute("data-clock") || undefined
        });
      } catch (e) { el.textContent = now.toLocaleTimeString(); }
    });
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var since = Date.parse(el.getAttribute("data-since"));
      if (isNaN(since)) { return; }
      var s = Math.max(0, Math.floor((now.getTime() - since) / 1000));
      el.textContent = pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:sseMessage", function (e) {
    if (e.detail && e.detail.type === "revoked") { window.location.href = "/join"; }
  });
})();
