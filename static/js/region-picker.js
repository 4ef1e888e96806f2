/* Region picker: cascading lists (province → regency → district → village → hamlet) and
   type-to-search, filling one hidden input with a Kemendagri code. Loads only one level at
   a time, so a page never carries thousands of options. No dependencies. */
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
    box.append(searchLabel, search, results, chosen, levels);

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
      return getJSON(url).then(function (data) {
        data.results.forEach(function (r) {
          var opt = el("option", { value: r.code }, r.name);
          if (r.code === selected) opt.selected = true;
          select.append(opt);
        });
        select.disabled = data.results.length === 0;
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

    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      var q = search.value.trim();
      if (q.length < 2) { results.innerHTML = ""; return; }
      timer = setTimeout(function () {
        var url = box.dataset.searchUrl + "?q=" + encodeURIComponent(q) + "&dari=" + minLevel + "&sampai=" + maxLevel + (root ? "&dalam=" + encodeURIComponent(root) : "");
        getJSON(url).then(function (data) {
          results.innerHTML = "";
          data.results.forEach(function (r) {
            var li = el("li");
            var b = el("button", { type: "button", "data-code": r.code }, r.label);
            b.addEventListener("click", function () {
              setValue(r.code, r.label);
              results.innerHTML = "";
              search.value = "";
              // Re-draw the cascade along the chosen region's path.
              var codes = [];
              var parts = r.code.split(".");
              for (var n = rootLevel + 1; n <= parts.length; n++) codes.push(parts.slice(0, n).join("."));
              var c = fill(selects[0], root);
              codes.forEach(function (code, i) {
                c = c.then(function () {
                  if (i < selects.length) {
                    selects[i].value = code;
                    if (i + 1 < selects.length) return fill(selects[i + 1], code);
                  }
                });
              });
              chosen.focus && chosen.setAttribute("tabindex", "-1");
            });
            li.append(b);
            results.append(li);
          });
          if (!data.results.length) results.append(el("li", { class: "rp-empty" }, texts.none || ""));
        }).catch(function () { results.innerHTML = ""; });
      }, 250);
    });
  }

  // Rows added later (a passenger, a travel stop) start their pickers through this.
  window.SipantauRegionPicker = { init: init };

  function start() { document.querySelectorAll(".region-picker").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
