// Grades tab keyboard entry: Enter moves down a column, Shift+Enter up;
// Tab moves across as usual. Each cell saves itself through htmx on change.
(function () {
  "use strict";
  var grid = document.getElementById("gradebook");
  if (!grid) return;

  function cellBelow(input, step) {
    var td = input.parentElement, tr = td.parentElement;
    var index = Array.prototype.indexOf.call(tr.children, td);
    for (var row = tr; (row = step > 0 ? row.nextElementSibling : row.previousElementSibling);) {
      var target = row.children[index] && row.children[index].querySelector("input");
      if (target) return target;
    }
    return null;
  }

  grid.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();
    var next = cellBelow(event.target, event.shiftKey ? -1 : 1);
    if (next) { next.focus(); next.select(); } else { event.target.blur(); }
  });

  // A refused score (422) carries the reason; swap it in at the cell.
  grid.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Show what the server stored (EX for *), unless the teacher is back in the cell.
  grid.addEventListener("htmx:afterSwap", function (event) {
    var input = event.detail.requestConfig.elt, mark = input.nextElementSibling;
    var stored = mark && mark.getAttribute("data-v");
    if (stored !== null && document.activeElement !== input) input.value = stored;
  });

  // A save htmx could not send keeps its value and says so; it is retried later.
  grid.addEventListener("htmx:sendError", function (event) {
    var input = event.detail.elt, mark = input.nextElementSibling;
    if (mark) { mark.className = "bad"; mark.textContent = "Not saved: no connection"; }
    input.setAttribute("data-unsaved", "1");
  });
  window.addEventListener("online", function () {
    grid.querySelectorAll("input[data-unsaved]").forEach(function (input) {
      input.removeAttribute("data-unsaved");
      htmx.trigger(input, "change");
    });
  });
})();
