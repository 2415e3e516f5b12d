/* The dashboard updates itself in place, and can be paused. Progressive enhancement:
   without JavaScript the page is whole and says to reload it. No inline script (the CSP
   forbids it); the figures are fetched from the page itself and swapped section by
   section, never while the user is inside a section. */
(function () {
  "use strict";
  var box = document.getElementById("refresh");
  if (!box || !window.fetch || !window.DOMParser) return;
  var every = Math.max(1, Number(box.getAttribute("data-seconds")) || 60) * 1000;
  var text = box.querySelector(".refresh-text");
  var paused = false;
  var timer = null;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "refresh-toggle";
  button.setAttribute("aria-pressed", "false");

  function show() {
    text.textContent = box.getAttribute(paused ? "data-paused" : "data-auto");
    button.textContent = box.getAttribute(paused ? "data-resume" : "data-pause");
    button.setAttribute("aria-pressed", paused ? "true" : "false");
  }

  function schedule() {
    clearTimeout(timer);
    if (!paused) timer = setTimeout(update, every);
  }

  function update() {
    fetch(location.href, { credentials: "same-origin", headers: { "X-Phoihop-Refresh": "1" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("not updated");
        return response.text();
      })
      .then(function (html) {
        if (paused) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["stamp", "overdue", "progress", "compliance"].forEach(function (id) {
          var now = document.getElementById(id);
          var next = fresh.getElementById(id);
          if (now && next && !now.contains(document.activeElement)) now.replaceWith(next);
        });
        box.setAttribute("data-updated", String(Date.now()));
      })
      .catch(function () { /* keep the figures shown; try again later */ })
      .then(schedule);
  }

  button.addEventListener("click", function () {
    paused = !paused;
    show();
    schedule();
  });
  box.appendChild(document.createTextNode(" "));
  box.appendChild(button);
  show();
  schedule();
})();
