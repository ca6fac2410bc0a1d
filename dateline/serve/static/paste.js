// The paste page: send the pasted text (or a dropped file) to POST
// /api/analyze and show what came back. Article values are written with
// textContent only, so markup in an article is shown, never run.
(function () {
  "use strict";
  var form = document.getElementById("paste-form");
  var text = document.getElementById("paste-text");
  var title = document.getElementById("paste-title");
  var file = document.getElementById("paste-file");
  var status = document.getElementById("paste-status");
  var result = document.getElementById("paste-result");
  var droppedHtml = null;
  var colours = JSON.parse(document.getElementById("type-colours").textContent);

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined && content !== null) e.textContent = String(content);
    return e;
  }

  function readFile(f) {
    var reader = new FileReader();
    reader.onload = function () {
      var body = String(reader.result);
      droppedHtml = /\.html?$/i.test(f.name) || /^\s*</.test(body) ? body : null;
      text.value = body;
      status.textContent = f.name + " loaded";
    };
    reader.readAsText(f);
  }

  text.addEventListener("dragover", function (ev) { ev.preventDefault(); text.classList.add("dragging"); });
  text.addEventListener("dragleave", function () { text.classList.remove("dragging"); });
  text.addEventListener("drop", function (ev) {
    ev.preventDefault();
    text.classList.remove("dragging");
    if (ev.dataTransfer.files.length) readFile(ev.dataTransfer.files[0]);
  });
  file.addEventListener("change", function () { if (file.files.length) readFile(file.files[0]); });
  text.addEventListener("input", function () { droppedHtml = null; });

  // The analysed text with its quotations, event sentences and trigger words
  // marked, as on an article page: cut at every span boundary, each piece a
  // text node inside a <mark> carrying the classes of the spans covering it.
  function markedText(analysis) {
    var text = (analysis.article || {}).text || "";
    var spans = [];
    (analysis.quotes || []).forEach(function (q) { spans.push([q.start, q.end, "quote"]); });
    (analysis.events || []).forEach(function (e) {
      if (e.sentence) spans.push([e.sentence.start, e.sentence.end, "event"]);
      if (e.trigger) spans.push([e.trigger.start, e.trigger.end, "trigger"]);
    });
    spans = spans.filter(function (s) { return s[0] >= 0 && s[0] < s[1] && s[1] <= text.length; });
    var cuts = [0, text.length];
    spans.forEach(function (s) { cuts.push(s[0], s[1]); });
    cuts = cuts.filter(function (c, i) { return cuts.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    var box = el("div", "text");
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      var kinds = spans.filter(function (s) { return s[0] <= a && b <= s[1]; }).map(function (s) { return s[2]; });
      var piece = document.createTextNode(text.slice(a, b));
      if (!kinds.length) { box.appendChild(piece); continue; }
      var mark = document.createElement("mark");
      mark.className = kinds.filter(function (k, j) { return kinds.indexOf(k) === j; }).sort().join(" ");
      mark.appendChild(piece);
      box.appendChild(mark);
    }
    return box;
  }

  function show(analysis) {
    var quotes = document.getElementById("paste-quotes");
    var events = document.getElementById("paste-events");
    var entities = document.getElementById("paste-entities");
    quotes.replaceChildren();
    events.replaceChildren();
    entities.replaceChildren();
    (analysis.quotes || []).forEach(function (q) {
      var li = el("li", "quote");
      li.appendChild(el("strong", "speaker", q.speaker || "unattributed"));
      if (q.speaker_role) li.appendChild(el("span", "role", " " + q.speaker_role));
      li.appendChild(document.createTextNode(": "));
      li.appendChild(el("span", "content", q.direct ? "“" + q.content + "”" : q.content));
      quotes.appendChild(li);
    });
    (analysis.events || []).forEach(function (e) {
      var li = el("li", "event");
      var badge = el("span", "badge", e.type);
      badge.style.background = colours[e.type] || colours.OTHER;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "summary", e.summary));
      var meta = [e.location, e.country, e.date].filter(Boolean);
      ["killed", "injured", "arrested", "displaced"].forEach(function (f) {
        if (e[f] !== null && e[f] !== undefined) meta.push(e[f] + " " + f);
      });
      if (meta.length) li.appendChild(el("span", "meta", " · " + meta.join(" · ")));
      events.appendChild(li);
    });
    entities.textContent = (analysis.entities || []).map(function (x) { return x.name + " (" + x.type + ")"; }).join(", ") || "none";
    var article = analysis.article || {};
    var words = (article.text || "").split(/\s+/).filter(Boolean).length;
    document.getElementById("paste-article").textContent =
      (article.title ? article.title + " · " : "") + words + " words read" + (article.language ? " · " + article.language : "");
    document.getElementById("paste-text-marked").replaceChildren(markedText(analysis));
    document.getElementById("quote-count").textContent = (analysis.quotes || []).length;
    document.getElementById("event-count").textContent = (analysis.events || []).length;
    result.hidden = false;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!text.value.trim()) { status.textContent = "Paste some text first."; return; }
    var body = droppedHtml !== null ? { html: droppedHtml } : { text: text.value };
    if (title.value.trim()) body.title = title.value.trim();
    status.textContent = "Analysing…";
    result.hidden = true;
    fetch("/api/analyze", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      if (!res.ok) {
        var detail = res.data && res.data.detail;
        status.textContent = "Could not analyse: " + (typeof detail === "string" ? detail : "error " + res.status);
        return;
      }
      var analysis = res.data.analysis || res.data;
      if (analysis.error) { status.textContent = "Could not analyse: " + analysis.error; return; }
      status.textContent = "";
      show(analysis);
    }).catch(function () { status.textContent = "The server did not answer."; });
  });
})();
