/* The outbox: entries made without a signal wait in IndexedDB, keyed by their entry_key, and are
   sent oldest first through the JSON entry API when the connection returns. The server answers a
   key it already holds with the stored arrival, so a resend never stores an entry twice; an entry
   leaves the device only once the server has confirmed it. Runs in the page and in the service
   worker (importScripts); no dependencies. */
(function (global) {
  "use strict";

  var DB_NAME = "sipantau-offline";
  var STORE = "outbox";
  var META = "meta";
  var LOCK = "sipantau-outbox";
  var SEND_TIMEOUT = 20000;
  var PROBE_TIMEOUT = 10000;
  var TRIP = ["origin", "origin_place", "transport", "plate"];
  var PERSON = ["id_type", "id_number", "nationality", "name", "sex", "birth_date", "phone", "home_address",
    "home_region", "destination", "destination_address", "purpose", "temperature", "vehicle_role"];
  var STOP = ["region", "place", "date_from", "date_to"];

  var config = {};
  var status = { state: "idle" };
  var listeners = [];
  var channel = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("sipantau-outbox") : null;
  var dbPromise = null;
  var running = null;

  // ---- IndexedDB ------------------------------------------------------------------------
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "key" });
          store.createIndex("order", "order");
          request.result.createObjectStore(META, { keyPath: "name" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function transaction(stores, mode, work) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction(stores, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        result = work(tx);
      });
    });
  }

  function requestValue(request, holder) {
    request.onsuccess = function () { holder.value = request.result; };
    return holder;
  }

  /** Every item, oldest first. */
  function all() {
    var holder = {};
    return transaction([STORE], "readonly", function (tx) {
      requestValue(tx.objectStore(STORE).index("order").getAll(), holder);
      return holder;
    }).then(function (h) { return h.value || []; });
  }

  /** Store (or replace, by entry_key) items in one transaction: all are kept or none. */
  function put(items) {
    return transaction([STORE], "readwrite", function (tx) {
      items.forEach(function (item) { tx.objectStore(STORE).put(item); });
    }).then(changed);
  }

  function remove(key) {
    return transaction([STORE], "readwrite", function (tx) { tx.objectStore(STORE).delete(key); }).then(changed);
  }

  function getMeta(name) {
    var holder = {};
    return transaction([META], "readonly", function (tx) {
      requestValue(tx.objectStore(META).get(name), holder);
      return holder;
    }).then(function (h) { return h.value ? h.value.value : undefined; });
  }

  function setMeta(name, value) {
    return transaction([META], "readwrite", function (tx) { tx.objectStore(META).put({ name: name, value: value }); });
  }

  // ---- status shared between the page(s) and the worker --------------------------------
  function setStatus(next) {
    status = Object.assign({ at: Date.now() }, next);
    notify(false);
    return status;
  }

  function notify(fromChannel) {
    listeners.forEach(function (fn) { try { fn(status); } catch (e) { /* a broken listener must not stop sending */ } });
    if (!fromChannel && channel) channel.postMessage({ status: status });
  }

  function changed(value) { notify(false); return value; }

  if (channel) {
    channel.onmessage = function (event) {
      if (event.data && event.data.status) status = event.data.status;
      notify(true);
    };
  }

  // ---- from the entry form's fields to one JSON entry per person -----------------------
  function uuidBytes(uuid) {
    var hex = uuid.replace(/-/g, "");
    var bytes = new Uint8Array(16);
    for (var i = 0; i < 16; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return bytes;
  }

  function bytesUuid(bytes) {
    var h = Array.prototype.map.call(bytes, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20, 32);
  }

  /** uuid5(namespace, name), as Python's uuid.uuid5: the key of the n-th person of a vehicle (services.member_key). */
  function uuid5(namespace, name) {
    var ns = uuidBytes(namespace);
    var text = new TextEncoder().encode(name);
    var data = new Uint8Array(ns.length + text.length);
    data.set(ns);
    data.set(text, ns.length);
    return crypto.subtle.digest("SHA-1", data).then(function (digest) {
      var bytes = new Uint8Array(digest).slice(0, 16);
      bytes[6] = (bytes[6] & 0x0f) | 0x50;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      return bytesUuid(bytes);
    });
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    return bytesUuid(bytes);
  }

  function maskId(number) {
    var n = String(number || "").replace(/\s/g, "");
    return n.length > 8 ? n.slice(0, 4) + "••••" + n.slice(-4) : n;
  }

  /** The entries one submission of the entry form makes (fields: [name, value] pairs), ready to queue. */
  function entriesFromFields(fields, options) {
    options = options || {};
    var values = {};
    fields.forEach(function (pair) {
      if (typeof pair[1] !== "string") return;
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    function get(name) { return values[name] ? values[name][0] : ""; }
    var entryKey = get("entry_key");
    // The mode the form was opened in (practice or real): the entry is stored in it, whenever it is sent.
    var practice = values.practice ? get("practice") === "1" : !!options.practice;
    var queuedAt = options.now || Date.now();
    var trip = {};
    TRIP.forEach(function (name) { trip[name] = get(name); });

    var people = [];
    var total = parseInt(get("orang-TOTAL_FORMS"), 10) || 1;
    for (var i = 0; i < total; i++) {
      var prefix = "orang-" + i + "-";
      if (get(prefix + "DELETE")) continue;
      var person = {};
      PERSON.forEach(function (name) { person[name] = get(prefix + name); });
      person.symptoms = values[prefix + "symptoms"] || [];
      if (i > 0 && !person.id_number.trim() && !person.name.trim()) continue;  // an empty passenger row
      if (people.length && get(prefix + "same_destination")) {
        person.destination = people[0].destination;
        person.destination_address = people[0].destination_address;
      }
      people.push(person);
    }
    var stops = [];
    var stopTotal = parseInt(get("riwayat-TOTAL_FORMS"), 10) || 0;
    for (var j = 0; j < stopTotal; j++) {
      var sp = "riwayat-" + j + "-";
      if (get(sp + "DELETE")) continue;
      var stop = {};
      STOP.forEach(function (name) { stop[name] = get(sp + name); });
      if (STOP.some(function (name) { return stop[name].trim(); })) stops.push(stop);
    }
    var group = people.length > 1;
    people.forEach(function (person, index) {
      if (group && !person.vehicle_role) person.vehicle_role = index === 0 ? "driver" : "passenger";
    });

    return Promise.all(people.map(function (person, index) {
      return index === 0 ? Promise.resolve(entryKey) : uuid5(entryKey, "orang-" + index);
    })).then(function (keys) {
      return people.map(function (person, index) {
        var payload = Object.assign({ entry_key: keys[index] }, trip, person, {
          travel_stops: stops,
          arrived_at: new Date(options.arrivedAt || queuedAt).toISOString(),
          practice: practice
        });
        if (group) payload.vehicle_group = entryKey;
        Object.assign(payload, options.extra || {});
        return {
          key: keys[index],
          order: queuedAt * 100 + index,
          queued_at: queuedAt,
          officer: options.officer === undefined ? null : options.officer,
          state: "waiting",
          practice: practice,
          errors: null,
          label: (person.name || "?") + " (" + maskId(person.id_number) + ")",
          regions: options.regions || {},
          payload: payload
        };
      });
    });
  }

  /** Keep a form submission the server could not take (the worker calls this for a failed POST). */
  function keepFields(fields, options) {
    return getMeta("user").then(function (user) {
      return entriesFromFields(fields, Object.assign({ officer: user === undefined ? null : user }, options || {}));
    }).then(function (items) {
      if (!items.length) throw new Error("nothing to keep");
      return put(items).then(function () { return items; });
    });
  }

  // ---- sending -------------------------------------------------------------------------
  function fetchWithTimeout(url, options, ms) {
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, ms);
    return fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store", signal: controller && controller.signal }, options))
      .finally(function () { clearTimeout(timer); });
  }

  function isLoginRedirect(response) {
    return response.redirected && config.login_url && new URL(response.url).pathname === config.login_url;
  }

  function probe() {
    return fetchWithTimeout(config.session_url, { headers: { Accept: "application/json" } }, PROBE_TIMEOUT)
      .then(function (r) {
        if (!r.ok) return { unavailable: true };
        return r.json().then(function (data) { return { session: data }; });
      }, function () { return { unavailable: true }; });
  }

  function send(item, token) {
    return fetchWithTimeout(config.api_url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      body: JSON.stringify(item.payload)
    }, SEND_TIMEOUT).then(function (r) {
      if (isLoginRedirect(r) || r.status === 401 || r.status === 403) return { kind: "auth" };
      var json = (r.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if ((r.status === 200 || r.status === 201) && json) {
        return r.json().then(function (body) {
          return body.entry_key === item.key ? { kind: "stored", body: body } : { kind: "unavailable" };
        });
      }
      if ((r.status === 400 || r.status === 413) && json) {
        return r.json().then(function (body) { return { kind: "rejected", errors: body.errors || {} }; });
      }
      return { kind: "unavailable", status: r.status };
    }, function () { return { kind: "unavailable", network: true }; });
  }

  function offlineNow() {
    return typeof navigator !== "undefined" && navigator.onLine === false;
  }

  /** Entries waiting longer than the allowed age. They are never removed unasked: the page
      asks the officer to send them or to save them as a file the paper import takes. */
  function overdue(items) {
    var limit = Date.now() - (config.max_hours || 72) * 3600 * 1000;
    return items.filter(function (item) { return item.queued_at < limit; });
  }

  function run() {
    return all().then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "waiting"; });
      if (!waiting.length) return setStatus({ state: "idle" });
      if (offlineNow()) return setStatus({ state: "offline", remaining: waiting.length });
      return probe().then(function (answer) {
        if (answer.unavailable) return setStatus({ state: offlineNow() ? "offline" : "server_down", remaining: waiting.length });
        var session = answer.session;
        if (!session.authenticated) return setStatus({ state: "login", remaining: waiting.length });
        if (!session.officer) return setStatus({ state: "forbidden", remaining: waiting.length });
        var mine = waiting.filter(function (item) { return item.officer === null || item.officer === session.user; });
        var token = session.csrf_token;
        var index = 0;
        var retried = false;
        setStatus({ state: "sending", remaining: mine.length });

        function next() {
          if (index >= mine.length) return setStatus({ state: "idle", others: waiting.length - mine.length });
          var item = mine[index];
          return send(item, token).then(function (result) {
            if (result.kind === "stored") {
              index += 1;
              retried = false;
              return remove(item.key).then(function () { return setMeta("last_sent", Date.now()); }).then(function () {
                setStatus({ state: "sending", remaining: mine.length - index });
                return next();
              });
            }
            if (result.kind === "rejected") {
              index += 1;
              item.state = "rejected";
              item.errors = result.errors;
              item.officer = session.user;
              return put([item]).then(next);
            }
            if (result.kind === "auth" && !retried) {
              // An expired CSRF token or session: ask again before giving up on this round.
              retried = true;
              return probe().then(function (again) {
                if (again.unavailable) return setStatus({ state: "server_down", remaining: mine.length - index });
                if (!again.session.authenticated) return setStatus({ state: "login", remaining: mine.length - index });
                token = again.session.csrf_token;
                return next();
              });
            }
            if (result.kind === "auth") return setStatus({ state: "forbidden", remaining: mine.length - index });
            return setStatus({ state: offlineNow() || result.network ? "offline" : "server_down", remaining: mine.length - index });
          });
        }
        return next();
      });
    });
  }

  /** Send what waits, oldest first; one round at a time across tabs and the worker. */
  function flush() {
    if (running) return running;
    var work = function () { return run(); };
    var locked = typeof navigator !== "undefined" && navigator.locks ? navigator.locks.request(LOCK, work) : work();
    running = Promise.resolve(locked).catch(function (error) {
      return setStatus({ state: "server_down", error: String(error) });
    }).finally(function () { running = null; });
    return running;
  }

  global.SipantauOutbox = {
    configure: function (values) { config = Object.assign(config, values || {}); },
    config: function () { return config; },
    status: function () { return status; },
    on: function (fn) { listeners.push(fn); },
    all: all,
    put: put,
    remove: remove,
    getMeta: getMeta,
    setMeta: setMeta,
    entriesFromFields: entriesFromFields,
    keepFields: keepFields,
    flush: flush,
    overdue: overdue,
    probe: probe,
    newKey: newKey,
    uuid5: uuid5
  };

  // ---- in a page: configure, register the worker, send when the signal returns ----------
  if (typeof document === "undefined") return;
  var node = document.getElementById("sipantau-outbox-config");
  if (!node) return;
  var settings = JSON.parse(node.textContent);
  global.SipantauOutbox.configure(settings);
  if (!("indexedDB" in global)) return;

  setMeta("user", settings.user).catch(function () {});
  function requestSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) return reg.sync.register("sipantau-outbox");
    }).catch(function () { /* background sync is a bonus; the page retries itself */ });
  }
  global.SipantauOutbox.requestSync = requestSync;

  if ("serviceWorker" in navigator && global.isSecureContext) {
    navigator.serviceWorker.register(settings.sw_url, { scope: "/" }).catch(function () {});
  }
  global.addEventListener("online", function () { flush(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") flush(); });
  setInterval(function () { flush(); }, 30000);
  flush();

  // Logging out with entries still waiting: say so first. Entries stay (for this officer's next login).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || new URL(form.action, location.href).pathname !== settings.logout_url) return;
    if (form.dataset.confirmed) return;
    event.preventDefault();
    all().then(function (items) {
      var count = items.length;
      if (count && !global.confirm(settings.logout_warning.replace("{count}", String(count)))) return;
      form.dataset.confirmed = "1";
      setMeta("recent", []).catch(function () {});  // the repeat check's record goes with the session
      // The cached form shell carries this officer's name: it goes with the session.
      var clear = global.caches ? caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("sipantau-shell-") === 0; }).map(function (n) {
          return caches.open(n).then(function (cache) { return cache.delete(settings.shell_url); });
        }));
      }) : Promise.resolve();
      clear.catch(function () {}).then(function () { form.submit(); });
    }, function () { form.dataset.confirmed = "1"; form.submit(); });
  }, true);
})(typeof self !== "undefined" ? self : this);
