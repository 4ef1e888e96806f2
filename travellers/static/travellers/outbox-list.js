/* The officer's queue, listed: every entry still on this phone (waiting to be sent, or refused
   by the server), with the traveller's name, when it was entered and, for a refused one, why in
   words. Used by the entry form (offline-entry.js adds its buttons) and the officer's day list
   (where a refused entry links to the form, which opens it at the wrong field). Needs
   static/js/offline-queue.js (window.SipantauOutbox) and the #sipantau-queue-config settings. */
(function () {
  "use strict";

  var configNode = document.getElementById("sipantau-queue-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var T = config.texts;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] === undefined ? "" : String(values[key]); });
  }

  function wib(ms) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Jakarta", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + "-" + parts.month + "-" + parts.year + " " + parts.hour + ":" + parts.minute;
  }

  var STOP_LINE = /^(?:Baris|Row) (\d+): (.*)$/;

  /** Where a server message points: {field, row (travel stops, from 0), stopField}. */
  function target(field, message) {
    if (field !== "travel_stops") return { field: field };
    var m = STOP_LINE.exec(message);
    if (!m) return { field: field, row: 0 };
    var rest = m[2];
    var stopField = "date_from";
    Object.keys(config.stop_labels).forEach(function (name) {
      if (rest.indexOf(config.stop_labels[name] + ": ") === 0) stopField = name;
    });
    return { field: field, row: parseInt(m[1], 10) - 1, stopField: stopField };
  }

  /** The server's errors as sentences a person reads: the field's label, not its key. */
  function errorLines(errors) {
    var lines = [];
    Object.keys(errors || {}).forEach(function (field) {
      (errors[field] || []).forEach(function (message) {
        var m = field === "travel_stops" && STOP_LINE.exec(message);
        if (m) {
          lines.push(fmt(T.stop_row, { n: m[1] }) + ": " + m[2]);
          return;
        }
        var label = field === "__all__" ? "" : config.labels[field] || T.other_field;
        lines.push(label ? label + ": " + message : message);
      });
    });
    return lines;
  }

  function mine(item) {
    var user = window.SipantauOutbox ? window.SipantauOutbox.config().user : null;
    return item.officer === null || item.officer === user;
  }

  /** Fill `list` (an <ul>) with this officer's unsent entries; actions(item) adds the item's buttons. */
  function render(list, items, actions) {
    list.innerHTML = "";
    var own = items.filter(function (i) { return mine(i) && (i.state === "waiting" || i.state === "rejected"); });
    // Refused first: they need the officer; then the waiting ones, oldest first.
    own.sort(function (a, b) { return (a.state === "rejected" ? 0 : 1) - (b.state === "rejected" ? 0 : 1) || a.order - b.order; });
    own.forEach(function (item) {
      var li = el("li", "queue-item queue-" + item.state);
      li.dataset.key = item.key;
      var head = el("p", "queue-head");
      head.appendChild(el("span", "queue-name", item.label));
      head.appendChild(el("span", "queue-state", item.state === "rejected" ? T.state_rejected : T.state_waiting));
      li.appendChild(head);
      li.appendChild(el("p", "queue-time", fmt(T.entered_at, { when: wib(item.queued_at) })));
      if (item.state === "rejected") {
        var ul = el("ul", "queue-errors");
        errorLines(item.errors).forEach(function (line) { ul.appendChild(el("li", "", line)); });
        li.appendChild(ul);
      }
      var extra = actions && actions(item);
      if (extra) li.appendChild(extra);
      list.appendChild(li);
    });
    return own;
  }

  window.SipantauOutboxList = { render: render, errorLines: errorLines, target: target, wib: wib, texts: T };

  // ---- the officer's day list: the same list, a refused entry opens in the form -----------
  var section = document.getElementById("outbox-queue");
  if (!section || !window.SipantauOutbox || !("indexedDB" in window)) return;
  var list = section.querySelector(".queue-list");
  function draw() {
    window.SipantauOutbox.all().then(function (items) {
      var own = render(list, items, function (item) {
        if (item.state !== "rejected") return null;
        var a = el("a", "button-secondary queue-open", T.fix_open);
        a.href = config.form_url + "?perbaiki=" + encodeURIComponent(item.key);
        a.appendChild(el("span", "visually-hidden", " " + item.label));
        return a;
      });
      section.hidden = !own.length;
      section.querySelector(".queue-count").textContent = fmt(T.count, { count: own.length });
    });
  }
  window.SipantauOutbox.on(draw);
  draw();
})();
