/* Paper-backlog upload: process the batch chunk after chunk, showing the count as it grows.
   Without this file the "next rows" button does the same, one chunk per press. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  var form = document.getElementById("process-form");
  if (!box || !form) return;
  var bar = document.getElementById("progress-bar");
  var token = form.querySelector("[name=csrfmiddlewaretoken]").value;

  function step() {
    fetch(form.action || window.location.href, {
      method: "POST", credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token }
    }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }).then(function (p) {
      bar.value = p.processed;
      ["processed", "stored", "duplicates", "failed"].forEach(function (k) {
        var el = box.querySelector("[data-count=" + k + "]");
        if (el) el.textContent = p[k];
      });
      if (p.done) window.location.reload();
      else step();
    }).catch(function () { form.hidden = false; });
  }
  form.hidden = true;
  step();
})();
