/* The checkpoint entry form: passenger and travel-history rows, the known-traveller lookup,
   a fresh entry key whenever the form is emptied, one submission per tap. No dependencies;
   the form works without this file (one traveller, no lookup). */
(function () {
  "use strict";

  // The entry form (id entry-form) and the correction form share the per-person behaviour.
  var form = document.querySelector("form.entry-form");
  if (!form) return;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function field(block, name) {
    return block.querySelector("[name='" + block.dataset.prefix + "-" + name + "']");
  }

  function initPickers(root) {
    if (window.SipantauRegionPicker) root.querySelectorAll(".region-picker").forEach(window.SipantauRegionPicker.init);
  }

  // ---- rows: passengers and travel stops ------------------------------------------------
  function renumber(rows) {
    var n = 0;
    rows.querySelectorAll(":scope > fieldset").forEach(function (row) {
      if (row.hidden) return;
      n += 1;
      var label = row.querySelector(".person-number, .stop-number");
      if (label) label.textContent = String(n);
    });
    form.classList.toggle("is-group", form.querySelectorAll("#passengers > fieldset:not([hidden])").length > 0);
  }
  var passengers = document.getElementById("passengers");
  var stopRows = document.getElementById("stops");

  function setupRow(row) {
    var remove = row.querySelector(".remove-row");
    if (remove) {
      remove.addEventListener("click", function () {
        var del = row.querySelector(".delete-field input");
        if (del) del.checked = true;
        row.hidden = true;
        renumber(row.parentNode);
      });
    }
    setupPerson(row);
  }

  form.querySelectorAll(".add-row").forEach(function (button) {
    button.addEventListener("click", function () {
      var rows = document.getElementById(button.dataset.rows);
      var template = document.getElementById(button.dataset.template);
      var total = form.querySelector("[name='" + button.dataset.prefix + "-TOTAL_FORMS']");
      var max = parseInt(form.querySelector("[name='" + button.dataset.prefix + "-MAX_NUM_FORMS']").value, 10);
      var index = parseInt(total.value, 10);
      if (index >= max) return;
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      initPickers(row);
      setupRow(row);
      if (button.dataset.rows === "stops") fillStopDates(row);
      renumber(rows);
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      if (first) first.focus();
    });
  });

  // A new travel stop starts as the whole 14 days before today (WIB), the commonest answer
  // ("I was at home there"); the officer changes the dates when it was shorter.
  function fillStopDates(row) {
    var day = 86400000;
    var today = new Date(Date.now() + 7 * 3600000);  // WIB, UTC+7
    var from = row.querySelector("input[name$='-date_from']");
    var to = row.querySelector("input[name$='-date_to']");
    if (from && !from.value) from.value = new Date(today.getTime() - 14 * day).toISOString().slice(0, 10);
    if (to && !to.value) to.value = today.toISOString().slice(0, 10);
  }

  // ---- one person: id type, same destination, known-traveller lookup ----------------------
  function setupPerson(block) {
    if (!block.dataset.prefix) return;
    var idType = field(block, "id_type");
    var nationality = block.querySelector(".field-nationality");
    var idNumber = field(block, "id_number");
    var derived = block.querySelector(".nik-derived");
    function showNationality() {
      var passport = !!idType && idType.value === "passport";
      if (nationality && idType) nationality.hidden = !passport;
      // Sex and birth date come from a NIK (shown under it): asked for a passport, or when marked wrong.
      if (derived && idType) derived.hidden = !passport && !derived.querySelector(".field-invalid");
      // A passport number has letters: the phone's full keyboard, in capitals; a NIK, digits.
      if (idNumber) {
        idNumber.inputMode = passport ? "text" : "numeric";
        idNumber.setAttribute("autocapitalize", passport ? "characters" : "off");
      }
    }
    if (idType) idType.addEventListener("change", showNationality);
    showNationality();

    var same = field(block, "same_destination");
    var own = block.querySelector(".own-destination");
    function showOwn() { if (same && own) own.hidden = same.checked; }
    if (same) same.addEventListener("change", showOwn);
    showOwn();

    var number = field(block, "id_number");
    var result = block.querySelector(".lookup-result");
    if (!number || !result) return;
    var last = "";
    number.addEventListener("input", function () {
      var digits = number.value.replace(/[\s.\-]/g, "");
      if (!idType || idType.value !== "nik" || !/^\d{16}$/.test(digits) || digits === last) return;
      last = digits;
      fetch(form.dataset.lookupUrl + "?nik=" + encodeURIComponent(digits), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        result.innerHTML = "";
        if (!data) return;
        // Tolerant of a leaner answer: only some person fields, no "found", no previous arrivals.
        var person = data.person || null;
        var found = data.found === undefined ? !!person : !!data.found && !!person;
        var p = document.createElement("p");
        p.className = found ? "notice lookup-found" : "help";
        p.textContent = found ? form.dataset.textFound : form.dataset.textUnknown;
        result.appendChild(p);
        if (!found) return;
        data = { person: person, arrivals: Array.isArray(data.arrivals) ? data.arrivals : [] };
        // The look-up answers only these (travellers/lookup.py): phone, address and home region
        // are asked afresh at every crossing.
        ["name", "sex", "birth_date", "nationality"].forEach(function (name) {
          var input = field(block, name);
          if (input && !input.value && data.person[name]) input.value = data.person[name];
        });
        if (data.arrivals.length) {
          var h = document.createElement("p");
          h.className = "previous-title";
          h.textContent = form.dataset.textPrevious;
          var ul = document.createElement("ul");
          ul.className = "previous-arrivals";
          data.arrivals.forEach(function (a) {
            var li = document.createElement("li");
            li.textContent = a.arrived_at + " · " + a.checkpoint + " → " + a.destination;
            ul.appendChild(li);
          });
          result.append(h, ul);
        }
      }).catch(function () { /* offline: the officer types the details */ });
    });
  }

  form.querySelectorAll(".person-block, .stop-row").forEach(setupRow);
  if (passengers) renumber(passengers);
  if (stopRows) renumber(stopRows);

  // ---- the origin of the previous traveller, one tap away --------------------------------
  // A post sees the same neighbouring regencies all day. The last origin chosen on this phone is
  // offered as a button under the origin's search box; never filled in unasked (the isolation
  // rule depends on the origin). Not personal: a region, kept in localStorage.
  var ORIGIN_KEY = "sipantau-last-origin";
  function originOffer() {
    var box = form.querySelector("input[name=origin]");
    box = box && box.closest(".region-picker");
    var search = box && box.querySelector("input[type=search]");
    if (!search || !box.sipantauChoose || !form.dataset.textSameOrigin) return;
    var hidden = box.querySelector("input[name=origin]");
    var offer = document.createElement("button");
    offer.type = "button";
    offer.className = "button-secondary same-origin";
    offer.hidden = true;
    search.parentNode.insertBefore(offer, search.nextSibling);
    var last = null;
    function show() {
      try { last = JSON.parse(localStorage.getItem(ORIGIN_KEY) || "null"); } catch (e) { last = null; }
      offer.hidden = !last || !!hidden.value;
      if (last) offer.textContent = form.dataset.textSameOrigin.replace("{name}", last.label);
    }
    offer.addEventListener("click", function () { if (last) box.sipantauChoose(last.code, last.label); });
    hidden.addEventListener("change", function () {
      var chosen = box.querySelector(".rp-chosen");
      var label = chosen ? chosen.textContent.replace(/^\S+:\s*/, "").trim() : "";
      if (hidden.value && label) {
        try { localStorage.setItem(ORIGIN_KEY, JSON.stringify({ code: hidden.value, label: label })); } catch (e) { /* private mode */ }
      }
      show();
    });
    form.addEventListener("reset", function () { setTimeout(show, 0); });
    show();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", originOffer);
  else originOffer();

  // ---- the focused field is never under the sticky save bar (WCAG 2.4.11) -----------------
  var bar = form.querySelector(".form-actions");
  function keepClear(target) {
    if (!bar || !target || bar.contains(target) || !form.contains(target)) return;
    var r = target.getBoundingClientRect();
    var b = bar.getBoundingClientRect();
    if (r.bottom > b.top - 8 && r.top < b.bottom) window.scrollBy(0, r.bottom - b.top + 16);
    else if (r.top < 0) window.scrollBy(0, r.top - 16);
  }
  form.addEventListener("focusin", function (e) {
    // After the browser's own scrolling for the focus.
    requestAnimationFrame(function () { keepClear(e.target); });
  });
  if (document.activeElement) keepClear(document.activeElement);

  // ---- keyboard: Enter goes to the next field (a half-filled form is not sent by accident);
  //      Ctrl+Enter saves ------------------------------------------------------------------------
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.isComposing) return;
    var t = e.target;
    if (e.ctrlKey || e.metaKey) { e.preventDefault(); form.requestSubmit(); return; }
    if (!t.matches("input:not([type=checkbox]):not([type=radio]):not([type=submit]), select")) return;
    e.preventDefault();
    var items = Array.prototype.filter.call(
      form.querySelectorAll("input:not([type=hidden]), select, textarea, button"),
      function (el) { return !el.disabled && el.offsetParent !== null; });
    var next = items[items.indexOf(t) + 1];
    if (next) next.focus();
  });

  // ---- one submission per tap; a fresh key for the next traveller --------------------------
  var key = form.querySelector("[name=entry_key]");
  if (!key) return;  // the correction form keeps its entry's key
  form.addEventListener("submit", function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      // Disabled after this tick, so the pressed button still goes with the form.
      setTimeout(function () { b.disabled = true; }, 0);
    });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      key.value = newKey();
      // The identity type is back to NIK: hide the nationality, digits keyboard again.
      form.querySelectorAll("select[name$='-id_type']").forEach(function (select) {
        select.dispatchEvent(new Event("change"));
      });
      form.querySelectorAll(".lookup-result").forEach(function (r) { r.innerHTML = ""; });
      form.querySelectorAll(".rp-chosen").forEach(function (c) { c.textContent = ""; });
      form.querySelectorAll(".region-picker input[type=hidden]").forEach(function (i) { i.value = ""; });
      var nik = form.querySelector(".person-block.first .nik-input");
      if (nik) nik.focus();
    }, 0);
  });
  // "Kosongkan" clears everything typed: ask first, when something was typed.
  var clear = form.querySelector("button[type=reset]");
  if (clear && form.dataset.textClearConfirm) {
    clear.addEventListener("click", function (event) {
      var typed = Array.prototype.some.call(form.querySelectorAll("input, textarea, select"), function (c) {
        if (c.type === "hidden" || c.type === "button" || c.type === "submit") return false;
        if (c.type === "checkbox" || c.type === "radio") return c.checked !== c.defaultChecked;
        if (c.tagName === "SELECT") return Array.prototype.some.call(c.options, function (o) { return o.selected !== o.defaultSelected; });
        return c.value !== c.defaultValue;
      });
      if (typed && !window.confirm(form.dataset.textClearConfirm)) event.preventDefault();
    });
  }

  // A page restored from the back/forward cache must not resend the last key.
  window.addEventListener("pageshow", function (e) { if (e.persisted) form.reset(); });
})();
