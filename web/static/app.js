// Rampart — progressive enhancement for the server-rendered pages. Every flow works without
// this file; it only adds confirmations, extra table rows, focus on errors, copy and print
// buttons for secrets shown once, a risk's level as its ratings are chosen, and the
// narrow-screen menu. Loaded with `defer`, so the document is parsed when it runs. No inline script exists
// (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  // (a) Buttons with data-confirm ask before their form is submitted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector("[data-confirm]");
    if (!button || !button.hasAttribute("data-confirm")) return;
    if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  // (b) "Add a row" for repeating fields: copies the table's last row with the next index.
  // Names look like NAME[i][col], ids and labels' `for` like NAME-i-col.
  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function addRow(table, name) {
    var body = table.tBodies[0];
    if (!body || body.rows.length === 0) return;
    var last = body.rows[body.rows.length - 1];
    var next = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var i = parseInt(row.getAttribute("data-row"), 10);
      if (!isNaN(i) && i >= next) next = i + 1;
    });
    if (next < body.rows.length) next = body.rows.length;

    var n = escapeRegExp(name);
    var nameRe = new RegExp("^" + n + "\\[\\d+\\]");
    var idRe = new RegExp("^" + n + "-\\d+-");
    var row = last.cloneNode(true);
    row.setAttribute("data-row", String(next));

    // A copied row starts clean: no error messages, nothing marked invalid.
    Array.prototype.forEach.call(row.querySelectorAll(".field-error"), function (el) {
      el.parentNode.removeChild(el);
    });
    Array.prototype.forEach.call(row.querySelectorAll("[name], [id], [for]"), function (el) {
      if (el.hasAttribute("name")) {
        el.setAttribute("name", el.getAttribute("name").replace(nameRe, name + "[" + next + "]"));
      }
      if (el.id) el.id = el.id.replace(idRe, name + "-" + next + "-");
      if (el.hasAttribute("for")) {
        el.setAttribute("for", el.getAttribute("for").replace(idRe, name + "-" + next + "-"));
      }
      if (el.hasAttribute("aria-invalid")) el.setAttribute("aria-invalid", "false");
      if (el.hasAttribute("aria-describedby")) el.setAttribute("aria-describedby", "");
    });
    Array.prototype.forEach.call(row.querySelectorAll("input, select, textarea"), function (el) {
      // A colour input cannot be empty: the new row keeps the colour of the row it copies.
      if (el.type === "hidden" || el.type === "color") return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = false;
        el.removeAttribute("checked");
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = false;
          o.removeAttribute("selected");
        });
        el.selectedIndex = 0;
      } else if (el.tagName === "TEXTAREA") {
        el.value = "";
        el.textContent = "";
      } else {
        el.value = "";
        el.removeAttribute("value");
      }
    });
    body.appendChild(row);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-add-row]"), function (btn) {
    var name = btn.getAttribute("data-add-row");
    var table = null;
    Array.prototype.forEach.call(document.querySelectorAll("table[data-rows]"), function (t) {
      if (t.getAttribute("data-rows") === name) table = t;
    });
    if (!table) return;
    btn.hidden = false;
    btn.addEventListener("click", function () {
      addRow(table, name);
    });
  });

  // (c) After a failed save, move focus to the summary of what to correct.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Narrow screens: a register's filters fold behind a "Filters" button (the search box stays).
  // Filters already in use keep the panel open.
  Array.prototype.forEach.call(document.querySelectorAll("form.toolbar"), function (form) {
    var selects = form.querySelectorAll(".filter:not(.filter-search) select");
    if (selects.length < 2) return;
    var active = 0;
    Array.prototype.forEach.call(selects, function (s) {
      if (s.value !== "") active += 1;
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary filter-toggle";
    button.textContent = active > 0 ? "Filters (" + active + ")" : "Filters";
    button.setAttribute("aria-expanded", active > 0 ? "true" : "false");
    form.classList.add("has-filter-toggle");
    if (active > 0) form.classList.add("is-expanded");
    button.addEventListener("click", function () {
      var open = !form.classList.contains("is-expanded");
      form.classList.toggle("is-expanded", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    var search = form.querySelector(".filter-search");
    if (search) search.insertAdjacentElement("afterend", button);
  });

  // (d) Secrets shown once (a new API token, a one-time password, recovery codes): "Copy" and
  // "Print" buttons, hidden until this script can make them work. data-copy names the element
  // holding the text; data-copy-text holds it.
  var live = null;
  function announce(text) {
    if (!live) {
      live = document.createElement("span");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 50);
  }

  function copyText(text, source) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Without the asynchronous clipboard (plain HTTP on another host): select and copy.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (source && source.select) source.select();
      if (ok) resolve();
      else reject(new Error("copy failed"));
    });
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("button[data-copy], button[data-copy-text]"),
    function (btn) {
      var label = btn.textContent;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var source = null;
        var text = btn.getAttribute("data-copy-text");
        if (text === null) {
          source = document.getElementById(btn.getAttribute("data-copy"));
          if (!source) return;
          text = source.value !== undefined ? source.value : source.textContent;
        }
        copyText(text, source).then(
          function () {
            btn.textContent = "Copied";
            announce("Copied to the clipboard");
            window.setTimeout(function () {
              btn.textContent = label;
            }, 2000);
          },
          function () {
            announce("Could not copy: select the text and copy it by hand");
          }
        );
      });
    }
  );

  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      window.print();
    });
  });

  // A secret in a read-only box is selected whole on focus, ready to copy by hand.
  Array.prototype.forEach.call(document.querySelectorAll("input.secret-value"), function (el) {
    el.addEventListener("focus", function () {
      el.select();
    });
  });

  // A risk's level as soon as both its ratings are chosen: the form carries the methodology's
  // matrix (matrix[likelihood-1][impact-1] is an index into the levels) beside each pair.
  Array.prototype.forEach.call(document.querySelectorAll("[data-level-preview]"), function (el) {
    var prefix = el.getAttribute("data-level-preview");
    var form = el.closest("form");
    var output = el.querySelector("output");
    var swatch = el.querySelector("rect");
    var likelihood = form && form.elements[prefix + "_likelihood"];
    var impact = form && form.elements[prefix + "_impact"];
    if (!likelihood || !impact || !output) return;
    var matrix, levels, colours;
    try {
      matrix = JSON.parse(el.getAttribute("data-matrix"));
      levels = JSON.parse(el.getAttribute("data-levels"));
      colours = JSON.parse(el.getAttribute("data-colours"));
    } catch (e) {
      return;
    }
    var update = function () {
      var l = parseInt(likelihood.value, 10);
      var i = parseInt(impact.value, 10);
      var row = matrix[l - 1];
      var index = row ? row[i - 1] : undefined;
      var known = typeof index === "number" && index >= 0 && index < levels.length;
      output.textContent = known ? levels[index] : "choose likelihood and impact";
      if (swatch) swatch.setAttribute("fill", known ? colours[index] : "none");
    };
    likelihood.addEventListener("change", update);
    impact.addEventListener("change", update);
    update();
  });

  // Narrow screens: the navigation folds behind a "Menu" button.
  var toggle = document.querySelector(".nav-toggle");
  var sidebar = toggle && toggle.closest(".sidebar");
  if (toggle && sidebar) {
    var setOpen = function (open) {
      sidebar.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    sidebar.classList.add("has-toggle");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && sidebar.classList.contains("is-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (sidebar.classList.contains("is-open") && !sidebar.contains(event.target)) setOpen(false);
    });
  }
})();
