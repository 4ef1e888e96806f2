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
    // A field kept behind a disclosure, or derived from the NIK, is shown when it is wrong.
    var closed = control.closest("details");
    if (closed) closed.open = true;
    var derived = control.closest(".nik-derived");
    if (derived) derived.hidden = false;
    var p = el("p", "field-error js-error", message);
    // A region picker is long (search box, up to four lists): its message goes above it, in view.
    var picker = control.closest(".region-picker");
    if (picker && picker.parentNode) picker.parentNode.insertBefore(p, picker);
    else wrapper.appendChild(p);
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
    checkStops(fail);
    return first;
  }

  // ---- the 14-day travel history, as forms.travel_stop_errors --------------------------
  function isoDay(ms) {
    return wib(ms).slice(0, 10).split("-").reverse().join("-");
  }

  function arrivedOn() {
    var fixing = form.dataset.fixing && fixingArrival[form.dataset.fixing];
    return isoDay(fixing ? Date.parse(fixing) : Date.now());
  }

  function checkStops(fail) {
    var arrived = arrivedOn();
    var start = new Date(Date.parse(arrived + "T00:00:00Z") - entry.history_days * 86400000).toISOString().slice(0, 10);
    var dmyText = function (iso) { return iso.split("-").reverse().join("-"); };
    form.querySelectorAll("#stops > .stop-row").forEach(function (row) {
      var p = row.dataset.prefix + "-";
      if (row.hidden || (input(p + "DELETE") || {}).checked) return;
      var region = input(p + "region"), from = input(p + "date_from"), to = input(p + "date_to"), place = input(p + "place");
      var filled = [region, from, to, place].some(function (c) { return c && String(c.value).trim(); });
      if (!filled) return;
      if (region && !region.value) {
        var picker = region.closest(".region-picker");
        fail((picker && picker.querySelector("input[type=search], select")) || region, T.required);
      }
      if (from && !from.value) fail(from, T.required);
      if (to && !to.value) fail(to, T.required);
      if (!from || !to || !from.value || !to.value) return;
      if (from.value > to.value) fail(to, T.stop_order);
      if (from.value < start || to.value > arrived) {
        fail(from.value < start ? from : to, fmt(T.stop_window, { start: dmyText(start), end: dmyText(arrived) }));
      }
    });
  }

  // ---- the repeat check, on the phone: the same document entered here in the last hours ----
  function normalDocument(idType, number) {
    var text = String(number || "").normalize("NFKC").replace(/[\s.\-\/_\u00a0]+/g, "").toUpperCase();
    return idType + "|" + text;
  }

  function digest(text) {
    if (!(window.crypto && crypto.subtle)) return Promise.resolve(text);
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (x) { return (x + 256).toString(16).slice(1); }).join("");
    });
  }

  /** The people on the form, as {hash, label}: documents are kept on the phone only as hashes. */
  function peopleOnForm() {
    return Promise.all(visibleBlocks().map(function (block) {
      var p = block.dataset.prefix + "-";
      var number = input(p + "id_number"), name = input(p + "name"), idType = input(p + "id_type");
      if (!number || !number.value.trim()) return null;
      var doc = normalDocument(idType ? idType.value : "nik", number.value);
      var shown = doc.split("|")[1];
      var masked = shown.length > 8 ? shown.slice(0, 4) + "••••" + shown.slice(-4) : shown;
      return digest(doc).then(function (hash) { return { hash: hash, label: (name.value.trim() || "?") + " (" + masked + ")" }; });
    })).then(function (people) { return people.filter(Boolean); });
  }

  function recentLog() {
    var since = Date.now() - entry.repeat_hours * 3600 * 1000;
    return Outbox.getMeta("recent").then(function (log) {
      return (log || []).filter(function (r) { return r.at >= since && r.officer === settings.user; });
    });
  }

  function repeatsOnPhone() {
    var confirm = form.querySelector("input[name=confirm_repeat]");
    if (confirm && confirm.checked) return Promise.resolve([]);
    var key = input("entry_key").value;
    return Promise.all([peopleOnForm(), recentLog()]).then(function (r) {
      var found = [];
      r[0].forEach(function (person) {
        r[1].forEach(function (seen) {
          if (seen.hash === person.hash && seen.key !== key) found.push(seen);
        });
      });
      return found;
    });
  }

  function remember() {
    var key = input("entry_key").value;
    return Promise.all([peopleOnForm(), recentLog()]).then(function (r) {
      var log = r[1].filter(function (seen) { return seen.key !== key; });
      r[0].forEach(function (person) {
        log.push({ hash: person.hash, label: person.label, at: Date.now(), key: key, officer: settings.user });
      });
      return Outbox.setMeta("recent", log);
    });
  }

  function showRepeats(found) {
    form.querySelectorAll(".repeat-warning").forEach(function (node) { node.remove(); });
    var box = el("div", "notice repeat-warning");
    box.setAttribute("role", "alert");
    var title = el("p");
    title.appendChild(el("strong", "", T.repeat_title));
    var list = el("ul");
    found.forEach(function (seen) { list.appendChild(el("li", "", seen.label + ", " + wib(seen.at).slice(11) + " WIB")); });
    var label = el("label", "check");
    var check = document.createElement("input");
    check.type = "checkbox";
    check.name = "confirm_repeat";
    check.value = "1";
    label.append(check, " ", el("span", "", T.repeat_confirm));
    box.append(title, list, label);
    var anchor = form.querySelector(".form-section");
    form.insertBefore(box, anchor);
    check.focus();
  }

  // ---- the outbox status on the page -------------------------------------------------------
  var parts = {
    count: box.querySelector(".outbox-count"),
    detail: box.querySelector(".outbox-detail"),
    last: box.querySelector(".outbox-last"),
    alert: box.querySelector(".outbox-alert"),
    expiry: box.querySelector(".outbox-expiry"),
    send: box.querySelector(".outbox-send"),
    saveFile: box.querySelector(".outbox-save-file"),
    fix: box.querySelector(".outbox-fix"),
    fixList: box.querySelector(".outbox-fix-list"),
    waiting: box.querySelector(".outbox-waiting"),
    waitingCount: box.querySelector(".outbox-waiting-count"),
    waitingList: box.querySelector(".outbox-waiting .queue-list")
  };
  var queuedNote = document.getElementById("outbox-queued");

  function mine(item) { return item.officer === null || item.officer === settings.user; }

  function render() {
    return Promise.all([Outbox.all(), Outbox.getMeta("last_sent")]).then(function (r) {
      var items = r[0], lastSent = r[1];
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
      alerts.forEach(function (node) { parts.alert.appendChild(node); });
      parts.alert.hidden = !alerts.length;

      // Nothing leaves the phone unsent unasked: long waits ask to send or save as a file.
      var unsent = waiting.concat(rejected);
      var overdue = Outbox.overdue(unsent);
      var warnFrom = Date.now() - (settings.max_hours - settings.warn_hours) * 3600 * 1000;
      var old = unsent.filter(function (i) { return i.queued_at < warnFrom; });
      parts.expiry.hidden = !old.length;
      if (overdue.length) {
        parts.expiry.textContent = fmt(T.overdue, { count: overdue.length, hours: settings.max_hours });
      } else if (old.length) {
        parts.expiry.textContent = fmt(T.expiry_warning, { count: old.length, since: wib(old[0].queued_at) });
      }
      parts.saveFile.hidden = !unsent.length;
      parts.send.hidden = !(waiting.length && state !== "sending" && status.state !== "login" && status.state !== "forbidden");
      if (!waiting.length && queuedNote.dataset.kind === "queued") queuedNote.hidden = true;

      parts.fix.hidden = !rejected.length;
      parts.fixList.innerHTML = "";
      rejected.forEach(function (item) { parts.fixList.appendChild(fixRow(item)); });
      // Everything waiting, by name and time: the officer sees what the count means.
      parts.waiting.hidden = !waiting.length || !List;
      parts.waitingCount.textContent = String(waiting.length);
      if (List) List.render(parts.waitingList, waiting);
      openRequested(rejected);
    });
  }

  var List = window.SipantauOutboxList;

  function errorLines(errors) { return List ? List.errorLines(errors) : []; }

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

  // ---- unsent entries as a file the paper import takes (travellers/imports.py) -------------
  function dmy(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "-" + m[2] + "-" + m[1] : (iso || "");
  }

  function fileCell(field, item) {
    var p = item.payload;
    if (field === "arrived_at") return wib(Date.parse(p.arrived_at));
    if (field === "entry_key") return item.key;
    if (field === "birth_date") return dmy(p.birth_date);
    if (field === "symptoms") return (p.symptoms || []).join(", ");
    if (field === "travel_stops") {
      return (p.travel_stops || []).map(function (stop) {
        return [stop.region, dmy(stop.date_from), dmy(stop.date_to), stop.place].join(" ").trim();
      }).join("; ");
    }
    return p[field] === undefined || p[field] === null ? "" : String(p[field]);
  }

  function saveAsFile() {
    return Outbox.all().then(function (items) {
      var unsent = items.filter(function (i) { return mine(i) && (i.state === "waiting" || i.state === "rejected"); });
      if (!unsent.length) return;
      var quote = function (v) { return '"' + String(v).replace(/"/g, '""') + '"'; };
      var lines = [entry.file_columns.map(function (c) { return quote(c[0]); }).join(",")];
      unsent.forEach(function (item) {
        lines.push(entry.file_columns.map(function (c) { return quote(fileCell(c[1], item)); }).join(","));
      });
      var name = "sipantau-belum-terkirim-" + wib(Date.now()).replace(/[^0-9]+/g, "") + ".csv";
      var url = URL.createObjectURL(new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv" }));
      var a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      showQueued(fmt(T.file_saved, { name: name, count: unsent.length }), "file");
    });
  }

  // ---- back into the form, for fixing -----------------------------------------------------
  function setRegion(name, code, labels) {
    var hidden = input(name);
    if (!hidden) return;
    hidden.value = code || "";
    var chosen = hidden.closest(".region-picker") && hidden.closest(".region-picker").querySelector(".rp-chosen");
    // Its name as the picker showed it, else from the region list on the phone (the code until then).
    if (chosen) chosen.textContent = code ? (labels[code] || code) : "";
    if (chosen && code && !labels[code] && window.SipantauRegionPicker && window.SipantauRegionPicker.nameOf) {
      window.SipantauRegionPicker.nameOf(chosen.closest(".region-picker"), code).then(function (name) {
        if (name && hidden.value === code) chosen.textContent = name;
      });
    }
  }

  function setValue(name, value) {
    var control = input(name);
    if (control) control.value = value === undefined || value === null ? "" : value;
  }

  var fixingArrival = {};

  // The day list links a refused entry here (?perbaiki=<key>): open it once the list is read.
  var requested = (/[?&]perbaiki=([0-9a-f-]{36})/.exec(location.search) || [])[1];
  function openRequested(rejected) {
    if (!requested) return;
    var item = rejected.filter(function (i) { return i.key === requested; })[0];
    requested = null;
    history.replaceState(null, "", location.pathname);
    if (item) openForFixing(item);
  }

  function openForFixing(item) {
    var payload = item.payload;
    fixingArrival[item.key] = payload.arrived_at;
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
        (item.errors[field] || []).forEach(function (message) {
          var spot = List ? List.target(field, message) : { field: field };
          var control = spot.row !== undefined
            ? input("riwayat-" + spot.row + "-" + spot.stopField) || input("riwayat-" + spot.row + "-date_from")
            : input("orang-0-" + field) || input(field);
          // A field shown only when the server asks for it (confirming a changed name).
          var shelf = control && control.closest("[hidden]");
          if (shelf) shelf.hidden = false;
          var focusable = control;
          if (control && control.type === "hidden") {
            var picker = control.closest(".region-picker");
            control = picker || control;
            focusable = picker && picker.querySelector("input[type=search], select");
          }
          var text = spot.row !== undefined ? message.replace(/^(?:Baris|Row) \d+: /, "") : message;
          if (control) markError(control, text);
          else showFormError(errorLines({ [field]: [message] })[0] || message);
          firstBad = firstBad || focusable;
        });
      });
      showQueued(T.fix_opened);
      var spot = firstBad || input("orang-0-id_number");
      spot.focus();
      spot.scrollIntoView({ block: "center" });
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
      if (original) {
        // A fixed entry keeps the mode it was made in, whatever the page's mode is now.
        fields = fields.filter(function (pair) { return pair[0] !== "practice"; });
        fields.push(["practice", original.practice ? "1" : "0"]);
      }
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
    event.preventDefault();
    event.stopImmediatePropagation();
    repeatsOnPhone().then(function (found) {
      if (found.length) { showRepeats(found); return; }
      return remember().catch(function () {}).then(function () {
        if (mustQueue()) return queueSubmission();
        if (Date.now() - lastGoodProbe < SESSION_FRESH) { form.dataset.checked = "1"; form.requestSubmit(); return; }
        // Is the session still there? An expired one would turn the POST into a redirect to the login page.
        return Outbox.probe().then(function (answer) {
          if (answer.session && answer.session.officer) {
            lastGoodProbe = Date.now();
            form.dataset.checked = "1";
            form.requestSubmit();
          } else {
            return queueSubmission().then(function () { Outbox.flush().then(render); });
          }
        });
      });
    }).catch(function () {
      // Something on the phone failed (storage full, a bug): the normal POST still goes, and the
      // service worker keeps it when there is no signal.
      form.dataset.checked = "1";
      form.requestSubmit();
    });
  }, true);

  // ---- what the NIK says, shown as it is typed: the officer checks it against the card ----
  function showNik(number) {
    var block = number.closest(".person-block");
    var idType = block && block.dataset.prefix ? input(block.dataset.prefix + "-id_type") : null;
    var wrapper = number.closest(".field") || number.parentNode;
    var info = wrapper.querySelector(".nik-info");
    if (!info) {
      info = el("p", "nik-info help");
      info.id = number.id + "-info";
      info.setAttribute("aria-live", "polite");
      wrapper.appendChild(info);
      number.setAttribute("aria-describedby", info.id);
    }
    var digits = String(number.value).normalize("NFKC").replace(/[\s.\-\/_]+/g, "");
    var text = "", kind = "";
    if (idType && idType.value === "nik" && digits) {
      if (/^\d{1,15}$/.test(digits)) {
        text = fmt(T.nik_count, { count: digits.length });
      } else {
        var result = nikProblem(digits);
        if (result.info) {
          text = fmt(T.nik_info, { sex: T["sex_" + result.info.sex], date: result.info.birth.split("-").reverse().join("-") });
          kind = "nik-ok";
        } else {
          text = result.message;
          kind = "nik-bad";
        }
      }
    }
    info.textContent = text;
    info.className = "nik-info help" + (kind ? " " + kind : "");
    info.hidden = !text;
  }
  form.addEventListener("input", function (e) { if (e.target.matches("[name$='-id_number']")) showNik(e.target); });
  form.addEventListener("change", function (e) {
    if (e.target.matches("[name$='-id_type']")) {
      var block = e.target.closest(".person-block");
      var number = block && block.dataset.prefix && input(block.dataset.prefix + "-id_number");
      if (number) showNik(number);
    }
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { form.querySelectorAll(".nik-info").forEach(function (n) { n.textContent = ""; n.hidden = true; }); }, 0);
  });

  // The cached shell carries an old key: every fresh form gets a new one.
  if (!rerendered) input("entry_key").value = Outbox.newKey();
  if (/[?&]tertunda=1/.test(location.search)) {
    showQueued(T.queued_form, "queued");
    history.replaceState(null, "", location.pathname);
  }
  // "Kosongkan" starts a new traveller: an entry opened for fixing stays in the list.
  form.addEventListener("reset", function () { delete form.dataset.fixing; });
  parts.send.addEventListener("click", function () { Outbox.flush().then(render); });
  parts.saveFile.addEventListener("click", saveAsFile);
  Outbox.on(function () { render(); });
  window.addEventListener("online", render);
  window.addEventListener("offline", render);
  render();
})();
