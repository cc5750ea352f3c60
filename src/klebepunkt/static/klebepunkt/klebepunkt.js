/* klebepunkt: progressive enhancement only; every action works without this file.
 * Drag and drop on the clustering board submits the same form as the select box. */
(function () {
  "use strict";
  function setupBoard(root) {
    root.querySelectorAll(".card[draggable=true]").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", card.dataset.card);
        event.dataTransfer.effectAllowed = "move";
        card.classList.add("dragging");
      });
      card.addEventListener("dragend", function () { card.classList.remove("dragging"); });
    });
    root.querySelectorAll("[data-drop-goal]").forEach(function (target) {
      target.addEventListener("dragover", function (event) {
        event.preventDefault();
        target.classList.add("drop-target");
      });
      target.addEventListener("dragleave", function () { target.classList.remove("drop-target"); });
      target.addEventListener("drop", function (event) {
        event.preventDefault();
        target.classList.remove("drop-target");
        var cardId = event.dataTransfer.getData("text/plain");
        var form = document.querySelector('form[data-assign-card="' + cardId + '"]');
        if (!form) { return; }
        form.querySelector("select[name=goal]").value = target.dataset.dropGoal;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
  }
  // Keep the keyboard focus where it was when a request replaces the focused button
  // (htmx restores it by id; this also covers a swap that lands while focus moves).
  var lastFocus = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    lastFocus = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (lastFocus && (!active || active === document.body)) {
      var again = document.getElementById(lastFocus);
      if (again) { again.focus({ preventScroll: true }); }
    }
  });
  document.addEventListener("DOMContentLoaded", function () { setupBoard(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setupBoard(event.target); });
})();
