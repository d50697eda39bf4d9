// détente live app: clocks, typing kept across live updates, refusals shown where the person
// acted, the connection indicator, the confirmation before a delegation's one decision, and
// leaving when the session is revoked. No inline scripts (the Content-Security-Policy forbids
// them); the server renders every panel, this file only protects what a person is typing.
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
    // announcements on the projector leave after their time to live (seconds)
    document.querySelectorAll("[data-ttl]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("data-at"));
      var ttl = parseFloat(el.getAttribute("data-ttl"));
      if (!isNaN(at) && !isNaN(ttl)) { el.hidden = now.getTime() - at > ttl * 1000; }
    });
    document.querySelectorAll("[data-until]").forEach(function (el) {
      var until = Date.parse(el.getAttribute("data-until"));
      if (isNaN(until)) { return; }
      var s = Math.max(0, Math.ceil((until - now.getTime()) / 1000));
      el.textContent = pad(Math.floor(s / 60)) + ":" + pad(s % 60);
      el.classList.toggle("late", s === 0);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);

  // ---- typing is never lost ------------------------------------------------------------
  // A form the person has typed in is "dirty". Whenever a panel is swapped (a live refresh,
  // a colleague's act, the person's own act in another form), the dirty forms of the old panel
  // are read first and written back into the same forms of the new panel (same data-keep key),
  // with the focus and caret. When the server's version of a form moved on meanwhile (a
  // colleague saved a draft: data-version changed), a notice offers to load their version.
  // When the form is gone (the request closed), the typed text is shown so it can be copied.
  function keyOf(form) {
    return form.getAttribute("data-keep") || form.getAttribute("hx-post") || form.getAttribute("action") || "";
  }
  function fieldsOf(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox" || el.type === "radio") { out.push([el.name, el.value, el.checked]); }
      else { out.push([el.name, null, el.value]); }
    });
    return out;
  }
  function restore(form, fields) {
    fields.forEach(function (f) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== f[0]) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === f[1]) { el.checked = f[2]; }
        } else if (f[1] === null) { el.value = f[2]; }
      });
    });
  }
  function typedText(fields) {
    return fields.filter(function (f) { return f[1] === null && f[2]; })
      .map(function (f) { return f[2]; }).join("\n\n");
  }
  function markDirty(e) {
    var form = e.target && e.target.form;
    if (!form || form.hasAttribute("data-no-keep")) { return; }
    form.setAttribute("data-dirty", "1");
    // the server's version the person started from: a later version means a colleague moved on
    if (!form.hasAttribute("data-base") && form.hasAttribute("data-version")) {
      form.setAttribute("data-base", form.getAttribute("data-version"));
    }
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);

  var kept = null;
  function submitterForm(detail) {
    var elt = detail.requestConfig && detail.requestConfig.elt;
    if (!elt) { return null; }
    return elt.tagName === "FORM" ? elt : elt.closest("form");
  }
  function text(name) {
    var el = document.getElementById("texts");
    return (el && el.getAttribute("data-" + name)) || "";
  }
  function remember(detail, refused) {
    var own = submitterForm(detail);
    var root = detail.target;
    var forms = root ? Array.prototype.slice.call(root.querySelectorAll("form[data-dirty]")) : [];
    if (root && root.matches && root.matches("form[data-dirty]")) { forms.push(root); }
    var active = document.activeElement;
    kept = forms.filter(function (form) { return refused || form !== own; }).map(function (form) {
      return {
        key: keyOf(form),
        version: form.getAttribute("data-base") || form.getAttribute("data-version"),
        fields: fieldsOf(form),
        focus: active && active.form === form ? active.name : null,
        caret: active && active.form === form && typeof active.selectionStart === "number" ?
          [active.selectionStart, active.selectionEnd] : null
      };
    });
  }
  function putBack() {
    if (!kept) { return; }
    var found = kept;
    kept = null;
    found.forEach(function (k) {
      var target = null;
      document.querySelectorAll("form").forEach(function (f) { if (keyOf(f) === k.key) { target = f; } });
      if (!target) {
        var typed = typedText(k.fields);
        if (!typed) { return; }
        var box = document.createElement("div");
        box.className = "notice";
        box.setAttribute("role", "status");
        box.setAttribute("data-test", "kept-text");
        var p = document.createElement("p");
        p.textContent = text("gone");
        var area = document.createElement("textarea");
        area.readOnly = true;
        area.value = typed;
        box.appendChild(p);
        box.appendChild(area);
        var panel = document.querySelector("#panel-requests, main");
        panel.insertBefore(box, panel.children[1] || null);
        return;
      }
      var server = fieldsOf(target);
      var moved = k.version !== null && target.getAttribute("data-version") !== k.version;
      restore(target, k.fields);
      target.setAttribute("data-dirty", "1");
      if (k.version !== null) { target.setAttribute("data-base", k.version); }
      if (moved) { movedNotice(target, server); }
      if (k.focus) {
        var el = target.elements.namedItem(k.focus);
        if (el && el.focus) {
          el.focus();
          if (k.caret && el.setSelectionRange) { try { el.setSelectionRange(k.caret[0], k.caret[1]); } catch (e) { /* not a text field */ } }
        }
      }
    });
  }
  function movedNotice(form, server) {
    var box = document.createElement("p");
    box.className = "notice";
    box.setAttribute("role", "status");
    box.setAttribute("data-test", "moved-on");
    box.textContent = text("moved") + " ";
    var load = document.createElement("button");
    load.type = "button";
    load.className = "secondary";
    load.setAttribute("data-test", "load-theirs");
    load.textContent = text("load");
    load.addEventListener("click", function () {
      restore(form, server);
      form.removeAttribute("data-dirty");
      form.removeAttribute("data-base");
      box.remove();
    });
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "secondary";
    keep.textContent = text("keepmine");
    keep.addEventListener("click", function () {
      form.setAttribute("data-base", form.getAttribute("data-version"));
      box.remove();
    });
    box.appendChild(load);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(keep);
    form.insertBefore(box, form.firstChild);
  }

  // ---- refusals shown where the person acted -------------------------------------------
  // htmx 2 does not swap 4xx responses. A refused act answers with its panel re-rendered with
  // the message (HTML): swap it (typing kept above). Any other refusal (plain text: the
  // session ended, a missing token, a form too large) is shown inside the form that acted.
  function showRefusal(detail, message) {
    var form = submitterForm(detail) || detail.target;
    if (!form) { return; }
    var old = form.querySelector("[data-refusal]");
    if (old) { old.remove(); }
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.setAttribute("data-refusal", "1");
    p.textContent = message;
    if (detail.xhr && detail.xhr.status === 401) {
      var a = document.createElement("a");
      a.href = "/join";
      a.textContent = " " + text("rejoin");
      p.appendChild(a);
    }
    form.insertBefore(p, form.firstChild);
  }
  document.addEventListener("htmx:beforeSwap", function (e) {
    var d = e.detail;
    var status = d.xhr ? d.xhr.status : 200;
    if (status >= 400) {
      var type = (d.xhr.getResponseHeader("content-type") || "").toLowerCase();
      if (type.indexOf("text/html") === 0 && /^\s*<section/.test(d.serverResponse || "")) {
        d.shouldSwap = true;
        d.isError = false;
        remember(d, true);
      } else {
        d.shouldSwap = false;
        showRefusal(d, (d.serverResponse || "").trim() || text("refused"));
      }
      return;
    }
    if (d.shouldSwap) { remember(d, false); }
  });
  document.addEventListener("htmx:afterSwap", putBack);
  document.addEventListener("htmx:sendError", function (e) { showRefusal(e.detail, text("offline")); });

  // ---- connection indicator ------------------------------------------------------------
  function connection(ok) {
    var el = document.getElementById("connection");
    if (el) { el.hidden = ok; }
  }
  document.addEventListener("htmx:sseError", function () { connection(false); });
  document.addEventListener("htmx:sseOpen", function () { connection(true); });
  window.addEventListener("offline", function () { connection(false); });

  // ---- one member commits the delegation's decision: confirm first ---------------------
  document.addEventListener("htmx:confirm", function (e) {
    var submitter = e.detail.triggeringEvent && e.detail.triggeringEvent.submitter;
    if (!submitter || !submitter.hasAttribute("data-confirm")) { return; }
    var form = submitter.form;
    e.preventDefault();
    if (form.querySelector("[data-test=confirm-box]")) { return; }
    var box = document.createElement("p");
    box.className = "notice";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("data-test", "confirm-box");
    box.textContent = submitter.getAttribute("data-confirm") + " ";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.setAttribute("data-test", "confirm");
    yes.textContent = text("confirm");
    yes.addEventListener("click", function () {
      box.remove();
      e.detail.issueRequest(true);
    });
    var no = document.createElement("button");
    no.type = "button";
    no.className = "secondary";
    no.textContent = text("cancel");
    no.addEventListener("click", function () { box.remove(); });
    box.appendChild(yes);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(no);
    submitter.parentNode.insertBefore(box, submitter);
    yes.focus();
  });

  // ---- the console's tabs: which panel shows in the third column (kept across swaps) ---
  function showTab(name) {
    document.body.setAttribute("data-tab", name);
    document.querySelectorAll("[data-tab]").forEach(function (b) {
      if (b.tagName === "BUTTON") { b.setAttribute("aria-selected", String(b.getAttribute("data-tab") === name)); }
    });
    try { sessionStorage.setItem("detente-tab", name); } catch (e) { /* private mode */ }
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-tab]");
    if (b) { showTab(b.getAttribute("data-tab")); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector("button[data-tab]")) { return; }
    var saved = null;
    try { saved = sessionStorage.getItem("detente-tab"); } catch (e) { /* private mode */ }
    showTab(saved || "exercise");
  });

  document.addEventListener("htmx:sseMessage", function (e) {
    if (e.detail && e.detail.type === "revoked") { window.location.href = "/join"; }
  });
})();
