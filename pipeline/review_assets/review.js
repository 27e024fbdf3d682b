// casebook review page: evidence highlighting and review decisions (vanilla JS, no network).
// Document text only ever reaches the DOM through textContent / value, never as markup.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("casebook-data").textContent);
  var storeKey = "casebook-review:" + data.run_key;
  var state = loadState();
  var byKey = {}; // decision key -> value id
  Object.keys(data.values).forEach(function (vid) {
    byKey[valueKey(data.values[vid])] = vid;
  });

  function loadState() {
    try {
      var raw = window.localStorage.getItem(storeKey);
      var parsed = raw ? JSON.parse(raw) : null;
      if (parsed && parsed.decisions) return parsed;
    } catch (e) {
      /* storage may be disabled for file:// pages; decisions then last for the visit */
    }
    return { seq: 0, decisions: {} };
  }

  function persist() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(state));
    } catch (e) {
      /* see loadState */
    }
  }

  // One decision per value: accept, reject and edit of the same value replace each other.
  function valueKey(v) {
    var key = "v|" + v.record_id + "|" + v.field + "|" + v.value;
    return v.single ? key + "|" + v.evidence.start : key;
  }

  function addKey(d) {
    return "a|" + d.record_id + "|" + d.field + "|" + d.evidence.start + ":" +
      d.evidence.end + "|" + d.value;
  }

  function decide(key, decision) {
    state.seq += 1;
    decision._seq = state.seq;
    state.decisions[key] = decision;
    persist();
    render();
  }

  function undo(key) {
    delete state.decisions[key];
    persist();
    render();
  }

  function decisionFor(vid, action, extra) {
    var v = data.values[vid];
    var d = {
      record_id: v.record_id,
      field: v.field,
      value: v.value,
      action: action,
      evidence: { start: v.evidence.start, end: v.evidence.end, text: v.evidence.text },
      case_start: v.case_start,
      document_path: v.document_path,
      note: "",
    };
    var previous = state.decisions[valueKey(v)];
    if (previous && previous.note) d.note = previous.note;
    Object.keys(extra || {}).forEach(function (k) { d[k] = extra[k]; });
    return d;
  }

  // ---- evidence highlighting -------------------------------------------------------------
  var lit = [];

  function highlight(ids, scroll) {
    lit.forEach(function (el) { el.classList.remove("hl"); });
    lit = [];
    ids.forEach(function (id) {
      var marks = document.querySelectorAll('mark[data-m~="' + id + '"]');
      Array.prototype.forEach.call(marks, function (el) {
        el.classList.add("hl");
        lit.push(el);
      });
    });
    if (scroll && lit.length) lit[0].scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function activate(link) {
    var active = document.querySelectorAll("a.val.active");
    Array.prototype.forEach.call(active, function (a) { a.classList.remove("active"); });
    if (link) link.classList.add("active");
  }

  // ---- rendering decisions ---------------------------------------------------------------
  function render() {
    var count = 0;
    Object.keys(data.values).forEach(function (vid) {
      var li = document.getElementById(vid);
      if (!li) return;
      var d = state.decisions[valueKey(data.values[vid])];
      ["accept", "reject", "edit"].forEach(function (a) {
        li.classList.toggle("d-" + a, !!d && d.action === a);
      });
      var shown = li.querySelector(".new-value");
      if (d && d.action === "edit") {
        if (!shown) {
          shown = document.createElement("span");
          shown.className = "new-value";
          li.insertBefore(shown, li.querySelector(".evs"));
        }
        shown.textContent = "→ " + d.new_value;
      } else if (shown) {
        shown.remove();
      }
      var note = li.querySelector("input.note");
      if (d && !note) {
        note = document.createElement("input");
        note.className = "note";
        note.placeholder = "note for this decision (optional)";
        note.addEventListener("input", function () {
          var current = state.decisions[valueKey(data.values[vid])];
          if (current) {
            current.note = note.value;
            persist();
          }
        });
        li.appendChild(note);
      }
      if (note && !d) note.remove();
      if (note && d && document.activeElement !== note) note.value = d.note || "";
    });
    var lists = document.querySelectorAll("article.case ul.added");
    Array.prototype.forEach.call(lists, function (ul) { ul.textContent = ""; });
    Object.keys(state.decisions).forEach(function (key) {
      var d = state.decisions[key];
      count += 1;
      if (d.action !== "add") return;
      var article = caseArticle(d.record_id);
      if (!article) return;
      var li = document.createElement("li");
      li.textContent = "+ " + (data.fields[d.field] ? data.fields[d.field][0] : d.field) +
        ": " + d.value + " \u00ab" + d.evidence.text + "\u00bb" + (d.note ? " (" + d.note + ")" : "");
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "undo";
      remove.addEventListener("click", function () { undo(key); });
      li.appendChild(remove);
      article.querySelector("ul.added").appendChild(li);
    });
    document.getElementById("decision-count").textContent =
      count ? count + (count === 1 ? " decision" : " decisions") : "No decisions yet";
  }

  function caseArticle(recordId) {
    var articles = document.querySelectorAll("article.case");
    for (var i = 0; i < articles.length; i++) {
      if (articles[i].getAttribute("data-record") === recordId) return articles[i];
    }
    return null;
  }

  // ---- editing a value -------------------------------------------------------------------
  function openEdit(li) {
    var vid = li.getAttribute("data-v");
    var v = data.values[vid];
    if (li.querySelector("form.edit-form")) return;
    var form = document.createElement("form");
    form.className = "edit-form";
    var input = document.createElement("input");
    var current = state.decisions[valueKey(v)];
    input.value = current && current.action === "edit" ? current.new_value :
      (v.field === "figures" || v.field === "dates" ? v.value : v.label);
    input.setAttribute("aria-label", "corrected value");
    var list = document.getElementById("dl-" + v.field);
    if (list) input.setAttribute("list", list.id);
    var save = document.createElement("button");
    save.type = "submit";
    save.textContent = "Save";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Cancel";
    form.appendChild(input);
    form.appendChild(save);
    form.appendChild(cancel);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      form.remove();
      if (text && text !== v.label && text !== v.value) {
        decide(valueKey(v), decisionFor(vid, "edit", { new_value: text }));
      }
    });
    cancel.addEventListener("click", function () { form.remove(); });
    li.appendChild(form);
    input.focus();
    input.select();
  }

  // ---- adding a value from selected text -------------------------------------------------
  function codePoints(s) {
    return Array.from(s).length; // the records count code points, JS strings count UTF-16 units
  }

  function onSelectionDone() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    var range = sel.getRangeAt(0);
    var node = range.commonAncestorContainer;
    var element = node.nodeType === 1 ? node : node.parentElement;
    var box = element ? element.closest(".text[data-start]") : null;
    if (!box) return;
    var before = document.createRange();
    before.selectNodeContents(box);
    before.setEnd(range.startContainer, range.startOffset);
    var full = box.textContent;
    var s = before.toString().length;
    var e = s + range.toString().length;
    while (s < e && /\s/.test(full.charAt(s))) s += 1;
    while (e > s && /\s/.test(full.charAt(e - 1))) e -= 1;
    if (s >= e) return;
    var base = Number(box.getAttribute("data-start"));
    var start = base + codePoints(full.slice(0, s));
    var text = full.slice(s, e);
    openAdd(box.closest("article.case"), start, start + codePoints(text), text);
  }

  var pending = null;

  function openAdd(article, start, end, text) {
    var panel = article.querySelector("form.add-panel");
    pending = { article: article, start: start, end: end, text: text };
    panel.querySelector(".sel").textContent = text;
    panel.elements.value.value = text;
    panel.elements.note.value = "";
    setList(panel);
    panel.hidden = false;
  }

  function setList(panel) {
    var list = document.getElementById("dl-" + panel.elements.field.value);
    if (list) panel.elements.value.setAttribute("list", list.id);
    else panel.elements.value.removeAttribute("list");
  }

  document.addEventListener("submit", function (event) {
    var panel = event.target;
    if (!panel.classList || !panel.classList.contains("add-panel")) return;
    event.preventDefault();
    var article = panel.closest("article.case");
    if (!pending || pending.article !== article) return;
    var value = panel.elements.value.value.trim() || pending.text;
    var d = {
      record_id: article.getAttribute("data-record"),
      field: panel.elements.field.value,
      value: value,
      action: "add",
      evidence: { start: pending.start, end: pending.end, text: pending.text },
      case_start: Number(article.getAttribute("data-start")),
      document_path: article.getAttribute("data-path"),
      note: panel.elements.note.value.trim(),
    };
    panel.hidden = true;
    pending = null;
    decide(addKey(d), d);
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "field" && target.form && target.form.classList.contains("add-panel")) {
      setList(target.form);
    }
  });

  // ---- export ----------------------------------------------------------------------------
  function exportCorrections() {
    var decisions = Object.keys(state.decisions).map(function (k) { return state.decisions[k]; });
    decisions.sort(function (a, b) { return a._seq - b._seq; });
    var lines = decisions.map(function (d) {
      var out = {
        record_id: d.record_id,
        field: d.field,
        value: d.value,
        action: d.action,
        evidence: d.evidence,
      };
      if (d.action === "edit") out.new_value = d.new_value;
      if (d.note) out.note = d.note;
      if (typeof d.case_start === "number") out.case_start = d.case_start;
      if (d.document_path) out.document_path = d.document_path;
      return JSON.stringify(out);
    });
    var blob = new Blob([lines.join("\n") + (lines.length ? "\n" : "")], {
      type: "application/x-ndjson",
    });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = "corrections.jsonl";
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
  }

  // ---- events ----------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("a, button, mark") : null;
    if (!target) return;
    if (target.matches("a.val")) {
      event.preventDefault();
      activate(target);
      highlight(target.getAttribute("data-m").split(" "), true);
    } else if (target.matches("a.ev-link")) {
      event.preventDefault();
      activate(target.closest("li.value").querySelector("a.val"));
      highlight([target.getAttribute("data-m")], true);
    } else if (target.matches("button.act")) {
      var li = target.closest("li.value");
      var vid = li.getAttribute("data-v");
      var action = target.getAttribute("data-act");
      var key = valueKey(data.values[vid]);
      var current = state.decisions[key];
      if (action === "edit") {
        openEdit(li);
      } else if (current && current.action === action) {
        undo(key);
      } else {
        decide(key, decisionFor(vid, action));
      }
    } else if (target.matches("button.add-cancel")) {
      target.closest("form").hidden = true;
      pending = null;
    } else if (target.id === "export") {
      exportCorrections();
    } else if (target.id === "clear") {
      if (window.confirm("Forget all review decisions made in this page?")) {
        state = { seq: 0, decisions: {} };
        persist();
        render();
      }
    } else if (target.matches("mark.ent")) {
      highlight(target.getAttribute("data-m").split(" "), false);
    }
  });

  document.addEventListener("mouseup", function (event) {
    // Clicks in the forms keep the selection they were opened for.
    if (event.target.closest && event.target.closest("form, button, input, select, a")) return;
    window.setTimeout(onSelectionDone, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) onSelectionDone();
    if (event.key === "Escape") {
      Array.prototype.forEach.call(document.querySelectorAll("form.add-panel"), function (f) {
        f.hidden = true;
      });
    }
  });

  render();
})();
