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

  // ---- a live refresh waits while the person is using its panel ------------------------
  // A panel re-fetched because the log grew (an "sse:*" trigger) is neither fetched nor
  // swapped while the person is using it: a pointer pressed in it, a key, input or change in
  // it less than QUIET ms ago, a composition (Chinese input) in it, a confirmation it asks,
  // or one of the person's own acts from it still in flight. Without this, a swap replaces
  // the checkbox being clicked or the confirmation about to be answered, and under
  // hx-sync="this:replace" (inherited by the panel's forms) a refresh would abort the
  // person's act in flight, whose answer (a refusal too) would never be shown. The refresh
  // is remembered and made once the panel is quiet, on the panel then in the page (a swap
  // replaces the element).
  // A panel swapped in listens to the stream only once htmx has settled it: an event that
  // arrives in between is not seen by it. Each panel carries the log position it was
  // rendered at (data-seq); when an event it listens to is newer, it is refreshed again.
  var QUIET = 1200;
  var pressed = null;
  var composing = null;
  var touched = {};
  var inFlight = {};
  var deferred = {};
  var lastOf = {};
  function panelId(el) {
    var panel = el && el.closest ? el.closest("section.panel[id]") : null;
    return panel ? panel.id : null;
  }
  function isRefresh(elt, evt) {
    return !!(elt && elt.matches && elt.matches("section.panel[id]") && evt && /^sse:/.test(evt.type || ""));
  }
  function busy(id) {
    var panel = document.getElementById(id);
    return pressed === id || composing === id || (inFlight[id] || 0) > 0 ||
      (touched[id] !== undefined && Date.now() - touched[id] < QUIET) ||
      !!(panel && panel.querySelector("[data-test=confirm-box]"));  // a question awaits an answer
  }
  function touch(e) {
    var id = panelId(e.target);
    if (id) { touched[id] = Date.now(); }
    return id;
  }
  document.addEventListener("pointerdown", function (e) { pressed = touch(e); }, true);
  function released(e) { touch(e); setTimeout(function () { pressed = null; }, 0); }
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
  ["keydown", "input", "change"].forEach(function (name) { document.addEventListener(name, touch, true); });
  document.addEventListener("compositionstart", function (e) { composing = touch(e); }, true);
  document.addEventListener("compositionend", function (e) { touch(e); composing = null; }, true);
  function refresh(id, type) {
    var panel = document.getElementById(id);
    if (panel && window.htmx) { window.htmx.trigger(panel, type); }
  }
  setInterval(function () {
    Object.keys(deferred).forEach(function (id) {
      if (busy(id)) { return; }
      var type = deferred[id];
      delete deferred[id];
      refresh(id, type);
    });
  }, 200);
  document.addEventListener("htmx:confirm", function (e) {
    var d = e.detail;
    if (isRefresh(d.elt, d.triggeringEvent) && busy(d.elt.id)) {
      e.preventDefault();
      deferred[d.elt.id] = d.triggeringEvent.type;
    }
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var d = e.detail;
    var config = d.requestConfig || {};
    if (isRefresh(d.elt, config.triggeringEvent)) { return; }
    var id = panelId(d.elt);
    if (!id || !d.xhr) { return; }
    delete refusals[id];  // the person acts again: the server's answer says what stands now
    inFlight[id] = (inFlight[id] || 0) + 1;
    d.xhr.addEventListener("loadend", function () { inFlight[id] = Math.max(0, inFlight[id] - 1); });
  });
  function triggersOf(panel) {
    return (panel.getAttribute("hx-trigger") || "").split(",").map(function (t) { return t.trim(); })
      .filter(function (t) { return /^sse:/.test(t); });
  }
  document.addEventListener("htmx:sseOpen", function (e) {
    var source = e.detail && e.detail.source;
    if (!source || source.detenteWatched) { return; }
    source.detenteWatched = true;
    var names = {};
    document.querySelectorAll("section.panel[hx-trigger]").forEach(function (panel) {
      triggersOf(panel).forEach(function (t) { names[t.slice(4)] = true; });
    });
    Object.keys(names).forEach(function (name) {
      source.addEventListener(name, function (m) {
        var id = parseInt(m.lastEventId, 10);
        if (!isNaN(id)) { lastOf[name] = Math.max(lastOf[name] || 0, id); }
      });
    });
  });
  document.addEventListener("htmx:load", function (e) {
    var panel = e.target;
    if (!panel || !panel.matches || !panel.matches("section.panel[id][data-seq]")) { return; }
    var seq = parseInt(panel.getAttribute("data-seq"), 10);
    var missed = triggersOf(panel).filter(function (t) { return (lastOf[t.slice(4)] || 0) > seq; });
    if (missed.length) { refresh(panel.id, missed[0]); }
  });

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
    var config = d.requestConfig || {};
    if (status < 400 && isRefresh(config.elt, config.triggeringEvent) && busy(config.elt.id)) {
      // the answer to a live refresh arrived while the person is using the panel: later
      d.shouldSwap = false;
      deferred[config.elt.id] = config.triggeringEvent.type;
      return;
    }
    if (status >= 400) {
      var type = (d.xhr.getResponseHeader("content-type") || "").toLowerCase();
      if (type.indexOf("text/html") === 0 && /^\s*<section/.test(d.serverResponse || "")) {
        d.shouldSwap = true;
        d.isError = false;
        remember(d, true);
      } else {
        d.shouldSwap = false;
        showRefusal(d, (d.serverResponse || "").trim() || text("refused"));
        if (!isRefresh(config.elt, config.triggeringEvent)) { keepRefusals(panelId(submitterForm(d) || d.target)); }
      }
      return;
    }
    if (d.shouldSwap) { remember(d, false); }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    putBack();
    var d = e.detail;
    var config = d.requestConfig || {};
    var id = d.target && d.target.id;
    if (!id) { return; }
    if (d.xhr && d.xhr.status >= 400 && !isRefresh(config.elt, config.triggeringEvent)) { keepRefusals(id); }
    else { reshowRefusals(id); }
  });
  document.addEventListener("htmx:sendError", function (e) { showRefusal(e.detail, text("offline")); });

  // ---- a refusal stays until the person acts again -------------------------------------
  // A refusal (and the text kept from a form that closed) is part of the panel the server
  // answered with; the next live refresh of that panel would wipe it before it is read. The
  // refusals of a panel are remembered with where they stood (their form, their request) and
  // put back after every later swap of that panel, until the person's next act from it.
  var refusals = {};
  var SHOWN = "[role=alert], [data-test=kept-text]";
  function keepRefusals(id) {
    var panel = id && document.getElementById(id);
    if (!panel) { return; }
    refusals[id] = Array.prototype.map.call(panel.querySelectorAll(SHOWN), function (el) {
      var form = el.closest("form");
      var request = el.closest("[data-key]");
      return {
        form: form ? keyOf(form) : null,
        request: request ? request.getAttribute("data-key") : null,
        node: el.cloneNode(true)
      };
    });
  }
  function reshowRefusals(id) {
    var panel = document.getElementById(id);
    if (!panel || !refusals[id]) { return; }
    refusals[id].forEach(function (r) {
      var shown = Array.prototype.some.call(panel.querySelectorAll(SHOWN), function (el) {
        return el.textContent === r.node.textContent;
      });
      if (shown) { return; }
      var node = r.node.cloneNode(true);
      var form = null;
      panel.querySelectorAll("form").forEach(function (f) { if (r.form && keyOf(f) === r.form) { form = f; } });
      if (form) { form.insertBefore(node, form.firstChild); return; }
      var request = null;
      panel.querySelectorAll("[data-key]").forEach(function (a) {
        if (r.request && a.getAttribute("data-key") === r.request) { request = a; }
      });
      var at = request || panel;
      var heading = at.querySelector(request ? "h3" : "h2");
      at.insertBefore(node, heading ? heading.nextSibling : at.firstChild);
    });
  }

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
