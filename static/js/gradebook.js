// Grades tab keyboard entry: Enter moves down a column, Shift+Enter up;
// Tab moves across as usual. Each cell saves itself through htmx on change;
// the saves of one row queue, so they reach the server in the order typed.
(function () {
  "use strict";
  // The box around the grid stays when a grade pull reloads the grid inside it.
  var grid = document.getElementById("grid-box");
  if (!grid) return;
  // A save that hangs would hold up its row's queue; give up and retry instead.
  htmx.config.timeout = 20000;
  var RETRY_MS = [2000, 5000, 10000, 20000, 30000];

  function cellBelow(input, step) {
    var td = input.parentElement, tr = td.parentElement;
    var index = Array.prototype.indexOf.call(tr.children, td);
    for (var row = tr; (row = step > 0 ? row.nextElementSibling : row.previousElementSibling);) {
      var target = row.children[index] && row.children[index].querySelector("input");
      if (target) return target;
    }
    return null;
  }

  function mark(input, css, text, title) {
    var i = input.nextElementSibling;
    if (!i) return;
    i.className = css;
    i.textContent = text;
    i.title = title || text;
    i.removeAttribute("data-v");
  }

  grid.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();
    var next = cellBelow(event.target, event.shiftKey ? -1 : 1);
    if (next) { next.focus(); next.select(); } else { event.target.blur(); }
  });

  // Until the server answers, the cell says its save is on the way.
  grid.addEventListener("change", function (event) {
    if (event.target.tagName === "INPUT") mark(event.target, "wait", "…", "Saving");
  });

  // Remember what each request carries, to tell a stale answer from a fresh one.
  grid.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.tagName !== "INPUT") return;
    event.detail.elt.setAttribute("data-sent", event.detail.parameters.v);
  });

  // A refused score (422) carries the reason; swap it in at the cell.
  grid.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Show what the server stored (EX for *), but only while the cell still holds
  // what was sent: a value typed since is newer and its own save is queued.
  grid.addEventListener("htmx:afterSwap", function (event) {
    var input = event.detail.requestConfig.elt;
    if (input === grid) {
      // The pulled grades are in: the link to reload them has done its work.
      document.querySelectorAll(".reload-grades").forEach(function (link) {
        link.remove();
      });
      return;
    }
    if (input.tagName !== "INPUT") return;
    var i = input.nextElementSibling;
    var stored = i && i.getAttribute("data-v");
    input.removeAttribute("data-unsaved");
    input.removeAttribute("data-tries");
    if (input.value !== input.getAttribute("data-sent")) {
      mark(input, "wait", "…", "Saving");
    } else if (stored !== null && document.activeElement !== input) {
      input.value = stored;
    }
  });

  // A save that failed keeps its value, says so at the cell and is sent again:
  // after a pause for a server error or timeout, when back online for no network.
  function failed(event, why, retry) {
    var input = event.detail.elt;
    if (!input || input.tagName !== "INPUT") return;
    var tries = Number(input.getAttribute("data-tries") || 0);
    input.setAttribute("data-unsaved", "1");
    input.setAttribute("data-tries", String(tries + 1));
    if (!retry || tries >= RETRY_MS.length) {
      mark(input, "bad", "Not saved: " + why + (retry ? "; reload the page" : ""));
      return;
    }
    mark(input, "bad", "Not saved: " + why + "; trying again");
    window.setTimeout(function () {
      if (input.getAttribute("data-unsaved")) htmx.trigger(input, "change");
    }, RETRY_MS[tries]);
  }
  grid.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    failed(event, "the server answered " + status, status >= 500 || status === 429);
  });
  grid.addEventListener("htmx:timeout", function (event) {
    failed(event, "no answer in time", true);
  });
  grid.addEventListener("htmx:sendError", function (event) {
    failed(event, navigator.onLine ? "no connection" : "offline", navigator.onLine);
  });
  // A finished grade pull reloads the grid only when that loses nothing: no
  // cell is being typed in, waiting for its save, or holding a refused value.
  window.gradebookIdle = function () {
    var typing = grid.contains(document.activeElement) &&
      document.activeElement.tagName === "INPUT";
    return !typing && !grid.querySelector("input[data-unsaved], i.wait, i.bad");
  };
  window.addEventListener("online", function () {
    grid.querySelectorAll("input[data-unsaved]").forEach(function (input) {
      htmx.trigger(input, "change");
    });
  });
})();
