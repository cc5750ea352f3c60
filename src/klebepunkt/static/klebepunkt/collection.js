/* klebepunkt card collection: progressive enhancement; every action works without this file.
 *
 * 1. Live parts ([data-live]) are polled by htmx; this sends the last ETag as If-None-Match,
 *    so an unchanged wall answers 304 and nothing is swapped (a 304 keeps the page as it is).
 *    While somebody types or has a menu open inside a live part, the swap waits.
 * 2. A card written while the phone is offline ([data-offline-queue]) is kept in
 *    localStorage with its idempotency key and sent when the connection returns; the
 *    server stores a card sent twice once, so a retry is safe.
 */
(function () {
  "use strict";
  var OUTBOX = "klebepunkt-outbox";

  // --- 1. conditional polling ---------------------------------------------------------------
  var etags = new WeakMap();
  function liveOf(element) { return element && element.closest ? element.closest("[data-live]") : null; }
  document.addEventListener("htmx:configRequest", function (event) {
    var live = liveOf(event.detail.elt);
    if (live && live === event.detail.elt && etags.has(live)) {
      event.detail.headers["If-None-Match"] = etags.get(live);
    }
  });
  function busy(live) {
    var active = document.activeElement;
    if (!active || !live.contains(active)) { return false; }
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) { return true; }
    return !!live.querySelector("details[open]");
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var live = event.detail.elt;
    if (!live.hasAttribute || !live.hasAttribute("data-live")) { return; }
    if (event.detail.xhr.status === 304) { event.detail.shouldSwap = false; return; }
    if (busy(live)) { event.detail.shouldSwap = false; etags.delete(live); return; }
    var etag = event.detail.xhr.getResponseHeader("ETag");
    if (etag) { etags.set(live, etag); }
  });

  // --- 2. the offline outbox ----------------------------------------------------------------
  function load() {
    try { return JSON.parse(window.localStorage.getItem(OUTBOX) || "[]"); } catch (e) { return []; }
  }
  function save(items) { window.localStorage.setItem(OUTBOX, JSON.stringify(items)); }
  function say(text) {
    var status = document.querySelector("[data-outbox-status]");
    if (status) { status.textContent = text; }
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function message(form, name) { return form ? form.getAttribute("data-msg-" + name) || "" : ""; }
  var sending = false;
  function flush() {
    var items = load();
    if (sending || !items.length || !navigator.onLine) { return; }
    sending = true;
    var item = items[0];
    fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": item.csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(item.fields).toString()
    }).then(function (response) {
      var rest = load().filter(function (other) { return other.fields.key !== item.fields.key; });
      save(rest);
      sending = false;
      var form = document.querySelector("[data-offline-queue]");
      say(response.ok ? message(form, "sent") : message(form, "refused"));
      if (rest.length) { flush(); } else {
        document.querySelectorAll("[data-live]").forEach(function (live) { etags.delete(live); });
      }
    }).catch(function () { sending = false; });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline-queue") || navigator.onLine) { return; }
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") { fields[name] = String(value); } });
    if (!fields.text || !fields.text.trim()) { return; }
    var items = load();
    items.push({ url: form.action, csrf: form.querySelector("[name=csrfmiddlewaretoken]").value, fields: fields });
    save(items);
    form.querySelectorAll("textarea, input[type=text], input:not([type])").forEach(function (input) { input.value = ""; });
    var key = form.querySelector("[data-key]");
    if (key) { key.value = newKey(); }
    say(message(form, "queued"));
  });
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    if (load().length) { say(message(document.querySelector("[data-offline-queue]"), "waiting")); }
    flush();
  });
  window.setInterval(flush, 5000);
})();
