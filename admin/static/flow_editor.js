// The flow editor's optional live check: as staff type YAML, the text is sent to the check
// endpoint (nothing is saved) and its problems are listed under the box. The page works the
// same without this script; saving always checks on the server.
(function () {
  "use strict";
  var form = document.getElementById("yaml-form");
  var box = document.getElementById("f-source");
  var out = document.getElementById("live-check");
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!form || !box || !out || !meta || !window.fetch) { return; }
  var timer = null;
  var latest = 0;

  function show(result) {
    out.textContent = "";
    var heading = document.createElement("p");
    if (!result.problems.length) {
      heading.textContent = "As typed: no problems.";
      out.appendChild(heading);
      return;
    }
    heading.textContent = "As typed (not saved yet): " + result.problems.length + " to look at.";
    out.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "flow-problems";
    result.problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = problem.severity;
      var where = problem.line ? " (line " + problem.line + ")" : "";
      var step = problem.step ? " in " + problem.step : "";
      item.textContent = (problem.severity === "error" ? "Problem" : "Warning") + step + where +
        ": " + problem.message;
      list.appendChild(item);
    });
    out.appendChild(list);
  }

  function check() {
    var asked = ++latest;
    var body = new URLSearchParams();
    body.append("source", box.value);
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "x-csrf-token": meta.getAttribute("content") },
      body: body
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) {
      if (result && asked === latest) { show(result); }
    }).catch(function () { /* the server checks again on save */ });
  }

  box.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 600);
  });
}());
