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
        var select = form.querySelector("select[name=goal]");
        if (select.value === target.dataset.dropGoal) { return; }  // dropped where it was
        select.value = target.dataset.dropGoal;
        // the card moves on the wall at once; the answer then redraws the sums and the line
        var card = document.getElementById("card-" + cardId);
        var list = target.querySelector(".goal-cards");
        if (card && list) {
          var item = document.createElement("li");
          item.appendChild(card);
          list.appendChild(item);
        }
        var board = document.getElementById("board");
        if (board) { board.setAttribute("aria-busy", "true"); }
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
