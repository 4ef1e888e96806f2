/* Region picker: cascading lists (province → regency → district → village → hamlet) and
   type-to-search, filling one hidden input with a Kemendagri code. On the entry form the whole
   region list (regions/offline.py, ~200 KB, kept by the service worker) is fetched once, and
   lists and search then run on the phone, with or without a signal; elsewhere, and until that
   file is there, each level is asked from the server. No dependencies. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // ---- the region list on the phone ------------------------------------------------------
  var local = { promise: null, index: null };

  function loadLocal(url, kinds) {
    if (!local.promise) {
      local.promise = getJSON(url).then(function (data) {
        var byCode = {};
        var children = {};
        Object.keys(data.children).forEach(function (parent) {
          var level = parent ? parent.split(".").length + 1 : 1;
          children[parent] = data.children[parent].map(function (row) {
            var code = parent ? parent + "." + row[0] : row[0];
            var kind = row[2] || (level === 1 ? "p" : level === 3 ? "c" : "");
            var name = ((kinds[kind] || "") + " " + row[1]).trim();
            var region = { code: code, name: name, level: level, folded: fold(name) };
            byCode[code] = region;
            return region;
          });
        });
        local.index = { byCode: byCode, children: children, version: data.version };
        return local.index;
      });
      local.promise.catch(function () { local.promise = null; });
    }
    return local.promise;
  }

  function localChildren(index, parent) {
    return (index.children[parent || ""] || []).map(function (r) { return { code: r.code, name: r.name, level: r.level }; });
  }

  /** The server's region_search, on the phone: name contains the words, within root, levels, nearest first. */
  function localSearch(index, query, root, minLevel, maxLevel) {
    var q = fold(query);
    var found = [];
    Object.keys(index.byCode).forEach(function (code) {
      var r = index.byCode[code];
      if (r.level < minLevel || r.level > maxLevel) return;
      if (root && code !== root && code.indexOf(root + ".") !== 0) return;
      if (r.folded.indexOf(q) >= 0) found.push(r);
    });
    found.sort(function (a, b) { return a.level - b.level || (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0); });
    return found.slice(0, 20).map(function (r) {
      var parts = r.code.split(".");
      var names = [r.name];
      for (var n = parts.length - 1; n >= 2; n--) {
        var up = index.byCode[parts.slice(0, n).join(".")];
        if (up) names.push(up.name);
      }
      return { code: r.code, name: r.name, level: r.level, label: names.join(", ") };
    });
  }

  /** From the phone's list when it is there; else from the server, and the phone's list if that fails. */
  function ask(box, network, offline) {
    if (local.index) return Promise.resolve(offline(local.index));
    return getJSON(network).then(function (data) { return data.results; }, function (error) {
      if (!box.dataset.offlineUrl) throw error;
      return loadLocal(box.dataset.offlineUrl, JSON.parse(box.dataset.kinds || "{}")).then(offline);
    });
  }

  /** The next control a keyboard user would reach after `node`. */
  function nextFocusable(node) {
    var all = Array.prototype.filter.call(document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href]"), function (c) {
      return !c.disabled && c.offsetParent !== null && c.tabIndex >= 0;
    });
    for (var i = 0; i < all.length; i++) {
      if (node.compareDocumentPosition(all[i]) & Node.DOCUMENT_POSITION_FOLLOWING && !node.contains(all[i])) return all[i];
    }
    return null;
  }

  function init(box) {
    var input = box.querySelector("input");
    var root = box.dataset.root;
    var minLevel = parseInt(box.dataset.minLevel, 10);
    var maxLevel = parseInt(box.dataset.maxLevel, 10);
    var labels = JSON.parse(box.dataset.levelLabels || "{}");
    var texts = JSON.parse(box.dataset.texts || "{}");
    var path = JSON.parse(box.dataset.path || "[]");
    var uid = input.id || input.name;
    var rootLevel = root ? root.split(".").length : 0;

    input.type = "hidden";
    var search = el("input", { type: "search", id: uid + "-search", autocomplete: "off", placeholder: texts.placeholder || "" });
    var searchLabel = el("label", { for: uid + "-search", class: "visually-hidden" }, texts.search || "Search");
    var results = el("ul", { class: "rp-results", role: "list", id: uid + "-results" });
    var chosen = el("p", { class: "rp-chosen", "aria-live": "polite" });
    var levels = el("div", { class: "rp-levels" });
    // On the entry form the lists sit behind one disclosure: one Tab stop, not one per level;
    // the search box finds any level (a village by name, with its kecamatan and kabupaten).
    var form = box.closest("form.entry-form");
    var browse = null;
    if (form && form.dataset.textBrowse) {
      browse = el("details", { class: "rp-browse" });
      browse.append(el("summary", {}, form.dataset.textBrowse), levels);
      box.append(searchLabel, search, results, chosen, browse);
    } else {
      box.append(searchLabel, search, results, chosen, levels);
    }

    var selects = [];
    for (var level = rootLevel + 1; level <= maxLevel; level++) {
      var id = uid + "-level-" + level;
      var wrap = el("div", { class: "rp-level" });
      var label = el("label", { for: id }, labels[level] || String(level));
      var select = el("select", { id: id, "data-level": level });
      select.disabled = true;
      wrap.append(label, select);
      levels.append(wrap);
      selects.push(select);
    }

    function setValue(code, name) {
      input.value = code || "";
      chosen.textContent = code ? (texts.chosen || "") + " " + name : "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function fill(select, parentCode, selected) {
      select.innerHTML = "";
      select.append(el("option", { value: "" }, texts.choose || "—"));
      select.disabled = true;
      if (parentCode === null) return Promise.resolve();
      var url = box.dataset.childrenUrl + (parentCode ? "?induk=" + encodeURIComponent(parentCode) : "");
      return ask(box, url, function (index) { return localChildren(index, parentCode); }).then(function (list) {
        list.forEach(function (r) {
          var opt = el("option", { value: r.code }, r.name);
          if (r.code === selected) opt.selected = true;
          select.append(opt);
        });
        select.disabled = list.length === 0;
      }).catch(function () { select.disabled = true; });
    }

    function clearBelow(index) {
      for (var i = index + 1; i < selects.length; i++) fill(selects[i], null);
    }

    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        var code = select.value;
        var level = parseInt(select.dataset.level, 10);
        clearBelow(index);
        if (code && index + 1 < selects.length) fill(selects[index + 1], code);
        if (code && level >= minLevel) {
          setValue(code, select.options[select.selectedIndex].text);
        } else if (code) {
          setValue("", "");
        } else {
          var above = index > 0 ? selects[index - 1] : null;
          var aboveLevel = above ? parseInt(above.dataset.level, 10) : 0;
          if (above && above.value && aboveLevel >= minLevel) setValue(above.value, above.options[above.selectedIndex].text);
          else setValue("", "");
        }
      });
    });

    // Pre-fill the cascade from the current value's path, one level after another.
    var chain = fill(selects[0], root);
    path.forEach(function (step, i) {
      chain = chain.then(function () {
        if (i < selects.length) {
          selects[i].value = step.code;
          if (i + 1 < selects.length) return fill(selects[i + 1], step.code);
        }
      });
    });
    if (path.length) {
      var last = path[path.length - 1];
      chosen.textContent = (texts.chosen || "") + " " + last.name;
    }

    function drawPath(code) {
      var codes = [];
      var parts = code.split(".");
      for (var n = rootLevel + 1; n <= parts.length; n++) codes.push(parts.slice(0, n).join("."));
      var c = fill(selects[0], root);
      codes.forEach(function (step, i) {
        c = c.then(function () {
          if (i < selects.length) {
            selects[i].value = step;
            if (i + 1 < selects.length) return fill(selects[i + 1], step);
          }
        });
      });
      return c;
    }

    function choose(r) {
      setValue(r.code, r.label);
      results.innerHTML = "";
      search.value = "";
      // Focus moves on to the next field, past this picker's lists.
      var next = nextFocusable(browse || levels);
      if (next) next.focus();
      drawPath(r.code);
    }

    // Other scripts choose a region as a pick would (the entry form's "same origin as before").
    box.sipantauChoose = function (code, label) { choose({ code: code, label: label }); };

    function buttons() { return Array.prototype.slice.call(results.querySelectorAll("button")); }

    var timer = null;
    var pending = null;
    function runSearch() {
      var q = search.value.trim();
      if (q.length < 2) { results.innerHTML = ""; return Promise.resolve(); }
      var url = box.dataset.searchUrl + "?q=" + encodeURIComponent(q) + "&dari=" + minLevel + "&sampai=" + maxLevel + (root ? "&dalam=" + encodeURIComponent(root) : "");
      pending = ask(box, url, function (index) { return localSearch(index, q, root, minLevel, maxLevel); }).then(function (list) {
        if (search.value.trim() !== q) return;
        results.innerHTML = "";
        list.forEach(function (r) {
          var li = el("li");
          var b = el("button", { type: "button", "data-code": r.code, tabindex: "-1" }, r.label);
          b.addEventListener("click", function () { choose(r); });
          li.append(b);
          results.append(li);
        });
        if (!list.length) results.append(el("li", { class: "rp-empty" }, texts.none || ""));
      }).catch(function () { results.innerHTML = ""; });
      return pending;
    }

    search.setAttribute("aria-controls", results.id);
    search.addEventListener("input", function () {
      clearTimeout(timer);
      // Local search is instant; the server is asked after a pause in typing.
      timer = setTimeout(runSearch, local.index ? 0 : 250);
    });

    // Keyboard: ↓/↑ move through the results, Enter picks (the first one from the search box), Esc closes.
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var list = buttons();
        if (list.length) { e.preventDefault(); list[0].focus(); }
      } else if (e.key === "Enter") {
        e.preventDefault();
        e.stopPropagation();
        clearTimeout(timer);
        var q = search.value.trim();
        if (q.length < 2) { var next = nextFocusable(browse || levels); if (next) next.focus(); return; }
        // A fresh search for what is typed now: results on screen may be for fewer letters.
        runSearch().then(function () {
          var first = buttons()[0];
          if (first) first.click();
        });
      } else if (e.key === "Escape") {
        results.innerHTML = "";
      }
    });
    results.addEventListener("keydown", function (e) {
      var list = buttons();
      var at = list.indexOf(document.activeElement);
      if (at < 0) return;
      if (e.key === "ArrowDown" && at + 1 < list.length) { e.preventDefault(); list[at + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? list[at - 1] : search).focus(); }
      else if (e.key === "Escape") { e.preventDefault(); search.focus(); }
      else if (e.key === "Enter") { e.stopPropagation(); }
    });

    // On the entry form, the whole list is read once the page has loaded: from the service
    // worker's cache. On the very first visit the worker fetches it itself (one download, not two).
    var worker = "serviceWorker" in navigator && window.isSecureContext;
    if (box.dataset.offlineUrl && box.closest("form.entry-form") && (!worker || navigator.serviceWorker.controller)) {
      var fetchLocal = function () { loadLocal(box.dataset.offlineUrl, JSON.parse(box.dataset.kinds || "{}")).catch(function () {}); };
      if (document.readyState === "complete") setTimeout(fetchLocal, 0);
      else window.addEventListener("load", fetchLocal);
    }
  }

  // Rows added later (a passenger, a travel stop) start their pickers through this.
  window.SipantauRegionPicker = {
    init: init,
    local: function () { return local; },
    /** The name of `code` from the region list on the phone (read from the worker's cache), or null. */
    nameOf: function (box, code) {
      if (!box || !box.dataset.offlineUrl) return Promise.resolve(null);
      return loadLocal(box.dataset.offlineUrl, JSON.parse(box.dataset.kinds || "{}")).then(function (index) {
        return index.byCode[code] ? index.byCode[code].name : null;
      }, function () { return null; });
    }
  };

  function start() { document.querySelectorAll(".region-picker").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
