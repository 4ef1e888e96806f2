/* The entry form without a signal: checks what the browser can check (NIK structure, required
   fields), keeps a submission in the outbox when the network, the server or the session is not
   there, shows what waits to be sent, and brings entries the server refused back to the officer
   ("needs fixing"). Needs static/js/offline-queue.js (window.SipantauOutbox). */
(function () {
  "use strict";

  var form = document.getElementById("entry-form");
  var box = document.getElementById("outbox");
  var configNode = document.getElementById("sipantau-entry-config");
  var Outbox = window.SipantauOutbox;
  if (!form || !box || !configNode || !Outbox || !("indexedDB" in window)) return;

  var entry = JSON.parse(configNode.textContent);
  var T = entry.texts;
  var provinces = {};
  entry.provinces.forEach(function (code) { provinces[code] = true; });
  var settings = Outbox.config();
  var SESSION_FRESH = 5 * 60 * 1000;
  var lastGoodProbe = 0;
  var waitingCount = 0;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] === undefined ? "" : String(values[key]); });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function wib(ms) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Jakarta", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + "-" + parts.month + "-" + parts.year + " " + parts.hour + ":" + parts.minute;
  }

  function input(name) { return form.querySelector("[name='" + name + "']"); }

  // ---- browser-side checks: the same NIK rules as travellers/nik.py -----------------------
  function nikProblem(raw) {
    var text = String(raw || "").normalize("NFKC").replace(/[\s.\-\/_\u00a0\u2000-\u200b\u2010-\u2015\u3000]+/g, "");
    if (!text) return { message: T.required };
    if (!/^\d+$/.test(text)) return { message: T.nik_digits };
    if (text.length !== 16) return { message: fmt(T.nik_length, { count: text.length }) };
    var problems = [];
    if (!provinces[text.slice(0, 2)]) problems.push(fmt(T.nik_province, { code: text.slice(0, 2) }));
    var day = parseInt(text.slice(6, 8), 10);
    var month = parseInt(text.slice(8, 10), 10);
    var year2 = parseInt(text.slice(10, 12), 10);
    var sex = day > 40 ? "P" : "L";
    var born = birthDate(day > 40 ? day - 40 : day, month, year2);
    if (!born) problems.push(fmt(T.nik_date, { digits: text.slice(6, 12) }));
    if (text.slice(12) === "0000") problems.push(T.nik_serial);
    if (problems.length) return { message: problems.join(" ") };
    return { info: { sex: sex, birth: born } };
  }

  /** The latest birth date not after today with this day, month and two-digit year (or null). */
  function birthDate(day, month, year2) {
    var now = new Date();
    var today = now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
    var centuries = [2000, 1900];
    for (var i = 0; i < centuries.length; i++) {
      var year = centuries[i] + year2;
      var d = new Date(Date.UTC(year, month - 1, day));
      if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) continue;
      if (year * 10000 + month * 100 + day <= today) {
        return year + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
      }
    }
    return null;
  }

  function clearErrors() {
    form.querySelectorAll(".js-error").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".js-invalid").forEach(function (node) { node.classList.remove("js-invalid", "field-invalid"); });
  }

  function markError(control, message) {
    if (!control) return;
    var wrapper = control.closest(".field") || control.parentNode;
    wrapper.classList.add("field-invalid", "js-invalid");
    var p = el("p", "field-error js-error", message);
    wrapper.appendChild(p);
    return control;
  }

  function visibleBlocks() {
    return Array.prototype.filter.call(form.querySelectorAll(".person-block"), function (block) {
      return !block.hidden && block.dataset.prefix && !(input(block.dataset.prefix + "-DELETE") || {}).checked;
    });
  }

  /** Problems the browser can see, marked on the form; the first broken field, or null. */
  function validate() {
    clearErrors();
    var first = null;
    function fail(control, message) { var c = markError(control, message); first = first || c; }
    function need(name) {
      var control = input(name);
      if (!control || String(control.value).trim()) return;
      var picker = control.type === "hidden" && control.closest(".region-picker");
      // A region picker is marked as a whole; the focus goes to its search box.
      fail((picker && picker.querySelector("input[type=search], select")) || control, T.required);
    }
    need("origin");
    visibleBlocks().forEach(function (block, index) {
      var p = block.dataset.prefix + "-";
      var idType = input(p + "id_type");
      var number = input(p + "id_number");
      if (index > 0 && !number.value.trim() && !input(p + "name").value.trim()) return;  // an empty row is skipped
      if (idType && idType.value === "nik") {
        var result = nikProblem(number.value);
        if (result.message) {
          fail(number, result.message);
        } else {
          var sex = input(p + "sex");
          if (sex && sex.value && sex.value !== result.info.sex) fail(sex, T.nik_sex);
          var birth = input(p + "birth_date");
          if (birth && birth.value && birth.value !== result.info.birth) {
            fail(birth, fmt(T.nik_birth, { date: result.info.birth.split("-").reverse().join("-") }));
          }
        }
      } else if (idType) {
        var passport = number.value.normalize("NFKC").replace(/[\s.\-\/_]+/g, "").toUpperCase();
        if (!/^[A-Z0-9]{5,20}$/.test(passport)) fail(number, passport ? T.passport : T.required);
        var nationality = input(p + "nationality");
        if (nationality && !/^[A-Za-z]{2}$/.test(nationality.value.trim())) fail(nationality, T.nationality);
        var sexField = input(p + "sex");
        if (sexField && !sexField.value) fail(sexField, T.sex);
      }
      need(p + "name");
      var same = input(p + "same_destination");
      if (!(same && same.checked)) {
        need(p + "destination");
        need(p + "destination_address");
      }
      var temperature = input(p + "temperature");
      if (temperature && temperature.value.trim()) {
        var t = parseFloat(temperature.value.replace(",", "."));
        if (!(t >= 34 && t <= 43)) fail(temperature, T.temperature);
      }
    });
    return first;
  }

  // ---- the outbox status on the page -------------------------------------------------------
  var parts = {
    count: box.querySelector(".outbox-count"),
    detail: box.querySelector(".outbox-detail"),
    last: box.querySelector(".outbox-last"),
    alert: box.querySelector(".outbox-alert"),
    expiry: box.querySelector(".outbox-expiry"),
    send: box.querySelector(".outbox-send"),
    fix: box.querySelector(".outbox-fix"),
    fixList: box.querySelector(".outbox-fix-list")
  };
  var queuedNote = document.getElementById("outbox-queued");

  function mine(item) { return item.officer === null || item.officer === settings.user; }

  function render() {
    return Promise.all([Outbox.all(), Outbox.getMeta("last_sent"), Outbox.getMeta("expired")]).then(function (r) {
      var items = r[0], lastSent = r[1], expired = r[2];
      var own = items.filter(mine);
      var waiting = own.filter(function (i) { return i.state === "waiting"; });
      var rejected = own.filter(function (i) { return i.state === "rejected"; });
      var others = items.length - own.length;
      var status = Outbox.status();
      waitingCount = waiting.length;
      var state = status.state === "sending" && waiting.length ? "sending" : waiting.length ? "waiting" : rejected.length ? "fix" : "sent";
      box.hidden = false;
      box.dataset.state = state;
      box.dataset.waiting = String(waiting.length);
      box.dataset.rejected = String(rejected.length);
      parts.count.textContent = state === "sending" ? fmt(T.count_sending, { count: waiting.length })
        : waiting.length ? fmt(T.count_waiting, { count: waiting.length })
        : rejected.length ? fmt(T.count_fix, { count: rejected.length }) : T.all_sent;
      var detail = "";
      if (waiting.length && (status.state === "offline" || !navigator.onLine)) detail = T.offline;
      else if (waiting.length && status.state === "server_down") detail = T.server_down;
      parts.detail.textContent = detail;
      parts.detail.hidden = !detail;
      parts.last.textContent = lastSent ? fmt(T.last_sent, { when: wib(lastSent) }) : "";
      parts.last.hidden = !lastSent;

      parts.alert.innerHTML = "";
      var alerts = [];
      if (status.state === "login" && waiting.length) {
        var p = el("p", "", T.login_needed + " ");
        var a = el("a", "button outbox-login", T.login_link);
        a.href = settings.login_url + "?next=" + encodeURIComponent(settings.shell_url);
        p.appendChild(a);
        alerts.push(p);
      }
      if (status.state === "forbidden" && waiting.length) alerts.push(el("p", "", T.not_officer));
      if (others) alerts.push(el("p", "", fmt(T.other_officer, { count: others })));
      if (expired && expired.count && Date.now() - expired.at < 24 * 3600 * 1000) {
        alerts.push(el("p", "", fmt(T.expired, { count: expired.count, hours: settings.max_hours })));
      }
      alerts.forEach(function (node) { parts.alert.appendChild(node); });
      parts.alert.hidden = !alerts.length;

      var warnFrom = Date.now() - (settings.max_hours - settings.warn_hours) * 3600 * 1000;
      var old = own.filter(function (i) { return i.queued_at < warnFrom; });
      parts.expiry.hidden = !old.length;
      if (old.length) {
        parts.expiry.textContent = fmt(T.expiry_warning, { count: old.length, when: wib(old[0].queued_at + settings.max_hours * 3600 * 1000) });
      }
      parts.send.hidden = !(waiting.length && state !== "sending" && status.state !== "login" && status.state !== "forbidden");
      if (!waiting.length && queuedNote.dataset.kind === "queued") queuedNote.hidden = true;

      parts.fix.hidden = !rejected.length;
      parts.fixList.innerHTML = "";
      rejected.forEach(function (item) { parts.fixList.appendChild(fixRow(item)); });
    });
  }

  function labelFor(field) {
    var label = form.querySelector("label[for='id_orang-0-" + field + "'], label[for='id_" + field + "']");
    if (!label) {
      var holder = form.querySelector(".field-" + field + " legend");
      label = holder;
    }
    return label ? label.textContent.trim() : (field === "__all__" ? "" : field);
  }

  function errorLines(errors) {
    var lines = [];
    Object.keys(errors || {}).forEach(function (field) {
      var name = labelFor(field);
      (errors[field] || []).forEach(function (message) { lines.push(name ? name + ": " + message : message); });
    });
    return lines;
  }

  function fixRow(item) {
    var li = el("li", "outbox-fix-item");
    li.dataset.key = item.key;
    li.appendChild(el("p", "outbox-fix-name", item.label));
    li.appendChild(el("p", "outbox-fix-time", wib(item.queued_at) + " WIB"));
    var ul = el("ul", "outbox-fix-errors");
    errorLines(item.errors).forEach(function (line) { ul.appendChild(el("li", "", line)); });
    li.appendChild(ul);
    var actions = el("div", "outbox-fix-actions");
    var open = el("button", "button outbox-open", T.fix_open);
    open.type = "button";
    open.addEventListener("click", function () { openForFixing(item); });
    var discard = el("button", "button-secondary outbox-discard", T.fix_discard);
    discard.type = "button";
    discard.addEventListener("click", function () {
      if (window.confirm(fmt(T.fix_confirm, { name: item.label }))) Outbox.remove(item.key).then(render);
    });
    actions.append(open, discard);
    li.appendChild(actions);
    return li;
  }

  // ---- back into the form, for fixing -----------------------------------------------------
  function setRegion(name, code, labels) {
    var hidden = input(name);
    if (!hidden) return;
    hidden.value = code || "";
    var chosen = hidden.closest(".region-picker") && hidden.closest(".region-picker").querySelector(".rp-chosen");
    if (chosen) chosen.textContent = code ? (labels[code] || code) : "";
  }

  function setValue(name, value) {
    var control = input(name);
    if (control) control.value = value === undefined || value === null ? "" : value;
  }

  function openForFixing(item) {
    var payload = item.payload;
    var labels = item.regions || {};
    resetForNext();
    setTimeout(function () {  // after the form's own reset handler has run
      input("entry_key").value = item.key;
      form.dataset.fixing = item.key;
      ["origin_place", "transport", "plate"].forEach(function (name) { setValue(name, payload[name]); });
      setRegion("origin", payload.origin, labels);
      ["id_type", "id_number", "nationality", "name", "sex", "birth_date", "phone", "home_address",
        "destination_address", "purpose", "temperature"].forEach(function (name) { setValue("orang-0-" + name, payload[name]); });
      input("orang-0-id_type").dispatchEvent(new Event("change"));
      setRegion("orang-0-home_region", payload.home_region, labels);
      setRegion("orang-0-destination", payload.destination, labels);
      form.querySelectorAll("[name='orang-0-symptoms']").forEach(function (box) {
        box.checked = (payload.symptoms || []).indexOf(box.value) >= 0;
      });
      var addStop = form.querySelector(".add-row[data-rows='stops']");
      (payload.travel_stops || []).forEach(function (stop, index) {
        if (addStop) addStop.click();
        setRegion("riwayat-" + index + "-region", stop.region, labels);
        ["place", "date_from", "date_to"].forEach(function (name) { setValue("riwayat-" + index + "-" + name, stop[name]); });
      });
      var firstBad = null;
      Object.keys(item.errors || {}).forEach(function (field) {
        var control = input("orang-0-" + field) || input(field);
        if (control && control.type === "hidden") control = control.closest(".region-picker") || control;
        // A field shown only when the server asks for it (confirming a changed name).
        var shelf = control && control.closest("[hidden]");
        if (shelf) shelf.hidden = false;
        (item.errors[field] || []).forEach(function (message) {
          var c = control ? markError(control, message) : showFormError(message);
          firstBad = firstBad || c;
        });
      });
      showQueued(T.fix_opened);
      (firstBad || input("orang-0-id_number")).focus();
    }, 0);
  }

  function showFormError(message) {
    var p = el("p", "form-errors js-error", message);
    form.insertBefore(p, form.firstChild.nextSibling);
    return null;
  }

  function showQueued(text, kind) {
    queuedNote.dataset.kind = kind || "";
    queuedNote.textContent = text;
    queuedNote.hidden = false;
  }

  // ---- ready for the next traveller -------------------------------------------------------
  var rerendered = !!form.querySelector(".form-errors, .field-error, .repeat-warning");

  function resetForNext() {
    clearErrors();
    delete form.dataset.fixing;
    delete form.dataset.extra;
    ["passengers", "stops"].forEach(function (id) {
      var rows = document.getElementById(id);
      if (rows) rows.innerHTML = "";
    });
    var people = input("orang-TOTAL_FORMS");
    if (people) people.value = "1";
    var stops = input("riwayat-TOTAL_FORMS");
    if (stops) stops.value = "0";
    form.querySelectorAll(".form-errors, .field-error, .repeat-warning, .notice").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".field-invalid").forEach(function (node) { node.classList.remove("field-invalid"); });
    form.classList.remove("is-group");
    if (rerendered) {
      // A page the server sent back with errors holds the refused values as its defaults.
      form.querySelectorAll("input[type=text], input[type=tel], input[type=date], input:not([type]), textarea").forEach(function (i) {
        i.defaultValue = "";
      });
      form.querySelectorAll("input[type=checkbox]").forEach(function (i) { i.defaultChecked = false; });
      rerendered = false;
    }
    form.reset();
  }

  function regionLabels() {
    var labels = {};
    form.querySelectorAll(".region-picker").forEach(function (picker) {
      var hidden = picker.querySelector("input[type=hidden]");
      var chosen = picker.querySelector(".rp-chosen");
      if (hidden && hidden.value && chosen && chosen.textContent.trim()) labels[hidden.value] = chosen.textContent.trim();
    });
    return labels;
  }

  function queueSubmission() {
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
    var fixing = form.dataset.fixing;
    return Outbox.all().then(function (items) {
      var original = items.filter(function (i) { return i.key === fixing; })[0];
      var extra = {};
      if (original && original.payload.vehicle_group) {
        extra.vehicle_group = original.payload.vehicle_group;
        extra.vehicle_role = original.payload.vehicle_role;
      }
      return Outbox.entriesFromFields(fields, {
        officer: settings.user,
        regions: regionLabels(),
        extra: extra,
        // A fixed entry keeps its place in the queue and the time the traveller arrived.
        now: original ? original.queued_at : undefined,
        arrivedAt: original ? original.payload.arrived_at : undefined
      });
    }).then(function (items) {
      return Outbox.put(items).then(function () { return items; });
    }).then(function (items) {
      showQueued(fmt(T.queued, { names: items.map(function (i) { return i.label; }).join(", ") }), "queued");
      resetForNext();
      render();
      if (Outbox.requestSync) Outbox.requestSync();
      Outbox.flush().then(render);
    });
  }

  function mustQueue() {
    var state = Outbox.status().state;
    return !navigator.onLine || waitingCount > 0 || !!form.dataset.fixing ||
      state === "offline" || state === "server_down" || state === "login" || state === "sending";
  }

  // Runs before the form's own submit handler (capture on the document), so a queued entry
  // never also goes out as a normal POST.
  document.addEventListener("submit", function (event) {
    if (event.target !== form) return;
    if (form.dataset.checked) { delete form.dataset.checked; return; }
    var bad = validate();
    if (bad) {
      event.preventDefault();
      event.stopImmediatePropagation();
      showFormError(T.check_form);
      bad.focus();
      return;
    }
    if (!mustQueue() && Date.now() - lastGoodProbe < SESSION_FRESH) return;  // the normal POST
    event.preventDefault();
    event.stopImmediatePropagation();
    if (mustQueue()) { queueSubmission(); return; }
    // Is the session still there? An expired one would turn the POST into a redirect to the login page.
    Outbox.probe().then(function (answer) {
      if (answer.session && answer.session.officer) {
        lastGoodProbe = Date.now();
        form.dataset.checked = "1";
        form.requestSubmit();
      } else {
        queueSubmission().then(function () { Outbox.flush().then(render); });
      }
    });
  }, true);

  // The cached shell carries an old key: every fresh form gets a new one.
  if (!rerendered) input("entry_key").value = Outbox.newKey();
  if (/[?&]tertunda=1/.test(location.search)) {
    showQueued(T.queued_form, "queued");
    history.replaceState(null, "", location.pathname);
  }
  // "Kosongkan" starts a new traveller: an entry opened for fixing stays in the list.
  form.addEventListener("reset", function () { delete form.dataset.fixing; });
  parts.send.addEventListener("click", function () { Outbox.flush().then(render); });
  Outbox.on(function () { render(); });
  window.addEventListener("online", render);
  window.addEventListener("offline", render);
  render();
})();
