/* SIPANTAU service worker. It keeps the entry form usable without a signal:
   - the entry form's shell and its static files are cached under a versioned name;
   - region lists (public reference data) are cached as they are used, for the pickers, and the
     whole region list is kept in one versioned file (replaced when the region data changes);
   - a form submission the server cannot take (no connection, timeout, 5xx) is kept in the outbox;
   - Background Sync sends the outbox when the connection returns.
   No other page is cached: lists, details and the lookup by NIK hold personal data; without a
   signal they show the offline page (/luring/), which holds none. */
"use strict";

var CONFIG = {{ config_json|safe }};
importScripts({{ outbox_script_json|safe }});
SipantauOutbox.configure(CONFIG);

var SHELL_CACHE = "sipantau-shell-" + CONFIG.version;
var REGION_CACHE = "sipantau-regions-v1";
var NAVIGATION_TIMEOUT = 5000;
var POST_TIMEOUT = 20000;

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); }, function (error) { clearTimeout(timer); reject(error); });
  });
}

/* The cached shell is the empty form: flashed messages name the last traveller, so they go. */
function cacheShell(response) {
  if (!response || response.status !== 200 || response.redirected || response.type !== "basic") return Promise.resolve();
  if ((response.headers.get("Content-Type") || "").indexOf("text/html") !== 0) return Promise.resolve();
  return response.text().then(function (html) {
    var clean = html.replace(/<ul class="messages"[\s\S]*?<\/ul>/, "");
    var headers = new Headers({ "Content-Type": response.headers.get("Content-Type") });
    return caches.open(SHELL_CACHE).then(function (cache) {
      return cache.put(CONFIG.shell_url, new Response(clean, { status: 200, headers: headers }));
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(CONFIG.assets.concat([CONFIG.offline_url]));
    }).then(function () {
      // The shell needs a signed-in officer; without one it is cached on the first visit instead.
      return fetch(CONFIG.shell_url, { credentials: "same-origin" }).then(cacheShell).catch(function () {});
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("sipantau-shell-") === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return self.clients.claim();
    }).then(function () {
      // One list after the other: a phone on a weak signal has no bandwidth to spare.
      return caches.open(REGION_CACHE).then(function (cache) {
        return CONFIG.region_precache.reduce(function (previous, url) {
          return previous.then(function () {
            if (url === CONFIG.region_file_url) return regionFile(new Request(url, { credentials: "same-origin" })).catch(function () {});
            return fetch(url, { credentials: "same-origin" }).then(function (r) {
              if (isJson(r)) return cache.put(url, r);
            }).catch(function () {});
          });
        }, Promise.resolve());
      });
    })
  );
});

function shellResponse(request) {
  var network = fetch(request).then(function (response) {
    if (response.status >= 500) throw new Error("server " + response.status);
    cacheShell(response.clone()).catch(function () {});
    return response;
  });
  return withTimeout(network, NAVIGATION_TIMEOUT).catch(function () {
    return caches.match(CONFIG.shell_url, { cacheName: SHELL_CACHE }).then(function (cached) {
      return cached || network;
    });
  });
}

function offlinePage() {
  return caches.match(CONFIG.offline_url, { cacheName: SHELL_CACHE }).then(function (cached) {
    return cached || Response.error();
  });
}

/* A POST of the entry form the server cannot take is kept, then the form opens again. */
function postOrKeep(request) {
  var copy = request.clone();
  var sent = fetch(request).then(function (response) {
    if (response.status >= 500) throw new Error("server " + response.status);
    return response;
  });
  return withTimeout(sent, POST_TIMEOUT).catch(function () {
    return copy.formData().then(function (data) {
      var fields = [];
      data.forEach(function (value, name) { fields.push([name, value]); });
      return SipantauOutbox.keepFields(fields);
    }).then(function () {
      if (self.registration.sync) self.registration.sync.register("sipantau-outbox").catch(function () {});
      return Response.redirect(CONFIG.shell_url + "?tertunda=1", 303);
    });
  });
}

/* Region data to keep: a JSON answer, not the login page a signed-out visit is redirected to. */
function isJson(response) {
  return response.ok && !response.redirected && (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
}

/* The whole region list: its URL names its version, so a copy in the cache is always right. */
function regionFile(request) {
  return caches.open(REGION_CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      if (cached) return cached;
      return fetch(request).then(function (response) {
        if (isJson(response) && request.url.indexOf(CONFIG.region_file_url) >= 0) {
          var copy = response.clone();
          // Older versions go: one copy of ~200 KB on the phone is enough.
          cache.keys().then(function (keys) {
            keys.forEach(function (key) {
              if (new URL(key.url).pathname === new URL(request.url).pathname) cache.delete(key);
            });
          }).then(function () { return cache.put(request, copy); });
        }
        return response;
      });
    });
  });
}

function regionList(request) {
  var network = fetch(request).then(function (response) {
    if (isJson(response)) {
      var copy = response.clone();
      caches.open(REGION_CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  });
  return withTimeout(network, NAVIGATION_TIMEOUT).catch(function () {
    return caches.match(request, { cacheName: REGION_CACHE }).then(function (cached) { return cached || network; });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (request.mode === "navigate" && url.pathname === CONFIG.shell_url) event.respondWith(postOrKeep(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    if (url.pathname === CONFIG.shell_url) {
      event.respondWith(shellResponse(request));
    } else if (url.pathname === "/" || CONFIG.fallback_prefixes.some(function (p) { return url.pathname.indexOf(p) === 0; })) {
      // Other entry pages are never cached (personal data); without a signal, go to the form.
      event.respondWith(fetch(request).catch(function () {
        return caches.match(CONFIG.shell_url, { cacheName: SHELL_CACHE }).then(function (cached) {
          return cached ? Response.redirect(CONFIG.shell_url, 302) : offlinePage();
        });
      }));
    } else {
      // Every other page: the network, or a page that says there is no signal (never a browser error).
      event.respondWith(fetch(request).catch(offlinePage));
    }
    return;
  }
  if (CONFIG.assets.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE }).then(function (cached) {
      return cached || fetch(request);
    }));
  } else if (url.pathname === new URL(CONFIG.region_file_url, self.location.origin).pathname) {
    event.respondWith(regionFile(request));
  } else if (url.pathname === CONFIG.region_children_url) {
    event.respondWith(regionList(request));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "sipantau-outbox") return;
  event.waitUntil(SipantauOutbox.flush().then(function (status) {
    // A rejected promise tells the browser to try again later.
    if (status && (status.state === "offline" || status.state === "server_down")) throw new Error(status.state);
  }));
});

self.addEventListener("message", function (event) {
  if (event.data === "flush") event.waitUntil(SipantauOutbox.flush());
});
