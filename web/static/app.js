// Rampart — progressive enhancement for the server-rendered pages. Every flow works without
// this file; it only adds confirmations, extra table rows, focus on errors, copy and print
// buttons for secrets shown once, a risk's level as its ratings are chosen, pickers that search
// (references and multiple choices as a combobox with chips), and the narrow-screen menu. Loaded
// with `defer`, so the document is parsed when it runs. No inline script exists (the
// Content-Security-Policy forbids it).
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

  // (e) Pickers: a select marked data-picker (a reference or a multiple choice) becomes a
  // combobox after the WAI-ARIA practice: type to search, the matches in a listbox (arrows,
  // Enter or a click toggles one, Escape closes, Backspace in an empty box removes the last
  // choice), the chosen items as chips with a "Remove …" button. The select stays in the form,
  // hidden, and is kept in step, so the form posts what it posts without this script. A large
  // register's select holds only the chosen records: data-picker-source names the JSON route
  // that searches it on the server (GET /{register}/options?q=&limit=).
  var pickerCount = 0;
  var kPickerShown = 100; // matches shown at most (a small register's are filtered here)

  function Picker(select) {
    pickerCount += 1;
    var base = (select.id || "picker") + "-picker-" + pickerCount;
    var multiple = select.multiple;
    var label = select.getAttribute("data-picker-label") || "";
    var source = select.getAttribute("data-picker-source");
    var matches = []; // [{value, title}] shown in the listbox
    var active = -1;
    var searchSeq = 0;
    var timer = null;

    var root = document.createElement("div");
    root.className = "picker";
    var chips = document.createElement("ul");
    chips.className = "picker-chips";
    chips.setAttribute("aria-label", "Chosen: " + label);
    var input = document.createElement("input");
    input.type = "text";
    input.id = base + "-input";
    input.className = "picker-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-listbox");
    input.placeholder = "Type to search";
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    var list = document.createElement("ul");
    list.id = base + "-listbox";
    list.className = "picker-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", label);
    if (multiple) list.setAttribute("aria-multiselectable", "true");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "picker-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    var box = document.createElement("div");
    box.className = "picker-box";
    box.appendChild(chips);
    box.appendChild(input);
    var field = document.createElement("div");
    field.className = "picker-field";
    // The status (what the search found) sits between the box and the list, so the list
    // opening below it leaves it readable.
    field.appendChild(box);
    field.appendChild(status);
    field.appendChild(list);
    root.appendChild(field);
    select.parentNode.insertBefore(root, select.nextSibling);
    select.hidden = true;
    select.tabIndex = -1;
    // The field's label now names the text box.
    if (select.id) {
      Array.prototype.forEach.call(document.querySelectorAll("label"), function (l) {
        if (l.htmlFor === select.id) l.htmlFor = input.id;
      });
    }
    // A click on the box (beside the chips) goes to the text box.
    box.addEventListener("click", function (event) {
      if (event.target === box || event.target === chips) input.focus();
    });

    function options() {
      return Array.prototype.filter.call(select.options, function (o) {
        return o.value !== "";
      });
    }
    function findOption(value) {
      var found = null;
      options().forEach(function (o) {
        if (o.value === value) found = o;
      });
      return found;
    }
    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function renderChips() {
      chips.textContent = "";
      options().forEach(function (o) {
        if (!o.selected) return;
        var chip = document.createElement("li");
        chip.className = "chip";
        var text = document.createElement("span");
        text.className = "chip-label";
        text.textContent = o.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.setAttribute("aria-label", "Remove " + o.text);
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          unchoose(o);
          input.focus();
        });
        chip.appendChild(text);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      chips.hidden = chips.children.length === 0;
    }

    function say(text) {
      status.textContent = text;
    }

    function unchoose(o) {
      o.selected = false;
      // A single choice falls back to its empty option ("—").
      if (!multiple) select.value = "";
      renderChips();
      renderList();
      changed();
      say("Removed " + o.text);
    }

    function choose(match) {
      var o = findOption(match.value);
      if (!o) {
        // A record found on the server joins the select, chosen.
        o = document.createElement("option");
        o.value = match.value;
        o.textContent = match.title;
        select.appendChild(o);
      }
      if (o.selected && multiple) return unchoose(o);
      if (multiple) {
        o.selected = true;
      } else {
        select.value = o.value;
      }
      renderChips();
      changed();
      say("Chosen: " + o.text);
      input.value = "";
      if (multiple) {
        update();
      } else {
        close();
      }
    }

    function setActive(i) {
      var items = list.querySelectorAll("[role=option]");
      if (active >= 0 && items[active]) items[active].classList.remove("is-active");
      active = items.length === 0 ? -1 : Math.max(0, Math.min(i, items.length - 1));
      if (active >= 0) {
        items[active].classList.add("is-active");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function renderList() {
      var keep = active;
      list.textContent = "";
      matches.forEach(function (m, i) {
        var o = findOption(m.value);
        var chosen = !!(o && o.selected);
        var item = document.createElement("li");
        item.id = base + "-option-" + i;
        item.className = "picker-option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", chosen ? "true" : "false");
        item.textContent = m.title;
        // Pressing keeps the focus in the text box; the click chooses.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        item.addEventListener("click", function () {
          active = i;
          choose(m);
        });
        list.appendChild(item);
      });
      setActive(keep < 0 ? 0 : keep);
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function show(found, more) {
      matches = found;
      active = -1;
      renderList();
      open();
      if (found.length === 0) {
        say("Nothing matches");
      } else if (more) {
        say("The first " + found.length + " matches: type more to narrow them");
      } else {
        say(found.length === 1 ? "1 match" : found.length + " matches");
      }
    }

    function update() {
      var text = input.value.trim().toLowerCase();
      if (source) {
        // Ask the server, a moment after the typing stops; only the latest answer counts.
        window.clearTimeout(timer);
        var seq = ++searchSeq;
        timer = window.setTimeout(function () {
          var url = source + "?limit=20&q=" + encodeURIComponent(input.value.trim());
          fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (res) {
              if (!res.ok) throw new Error("status " + res.status);
              return res.json();
            })
            .then(function (body) {
              if (seq !== searchSeq) return;
              show(
                body.data.map(function (r) {
                  return { value: String(r.id), title: r.title };
                }),
                body.more
              );
            })
            .catch(function () {
              if (seq === searchSeq) say("The search did not answer: try again");
            });
        }, 150);
        return;
      }
      var found = [];
      var more = false;
      options().forEach(function (o) {
        if (text !== "" && o.text.toLowerCase().indexOf(text) < 0) return;
        if (found.length >= kPickerShown) {
          more = true;
          return;
        }
        found.push({ value: o.value, title: o.text });
      });
      show(found, more);
    }

    input.addEventListener("input", update);
    // The list opens on typing, a click or Down, not on focus: tabbing through a form stays quiet.
    input.addEventListener("click", function () {
      if (list.hidden) update();
    });
    input.addEventListener("keydown", function (event) {
      var count = list.querySelectorAll("[role=option]").length;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) update();
          else setActive(active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!list.hidden) setActive(active - 1);
          break;
        case "Home":
        case "End":
          if (!list.hidden && count > 0 && input.value === "") {
            event.preventDefault();
            setActive(event.key === "Home" ? 0 : count - 1);
          }
          break;
        case "Enter":
          // Enter chooses; it submits the form only when the list is closed.
          if (!list.hidden) {
            event.preventDefault();
            if (active >= 0 && matches[active]) choose(matches[active]);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else if (input.value !== "") {
            event.preventDefault();
            input.value = "";
          }
          break;
        case "Backspace":
          if (input.value === "") {
            var chosen = options().filter(function (o) {
              return o.selected;
            });
            if (chosen.length > 0) {
              event.preventDefault();
              unchoose(chosen[chosen.length - 1]);
            }
          }
          break;
        default:
          break;
      }
    });
    root.addEventListener("focusout", function (event) {
      if (!root.contains(event.relatedTarget)) close();
    });
    renderChips();
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), Picker);

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
