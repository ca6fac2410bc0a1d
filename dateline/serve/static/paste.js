// The paste page: send the pasted text, or a chosen or dropped file, to
// POST /api/analyze with the headline, outlet and publication date given,
// and show what came back. A file is sent as it is (multipart): the server
// reads it as `dateline analyze` reads a file, so an HTML page's markup never
// lands in the text box. Article values are written with textContent only,
// so markup in an article is shown, never run.
(function () {
  "use strict";
  var form = document.getElementById("paste-form");
  var text = document.getElementById("paste-text");
  var title = document.getElementById("paste-title");
  var source = document.getElementById("paste-source");
  var published = document.getElementById("paste-published");
  var file = document.getElementById("paste-file");
  var chosen = document.getElementById("paste-file-chosen");
  var status = document.getElementById("paste-status");
  var result = document.getElementById("paste-result");
  var weakBox = document.getElementById("paste-weak");
  var chosenFile = null;
  var colours = JSON.parse(document.getElementById("type-colours").textContent);
  var LOW = JSON.parse(document.getElementById("low-confidence").textContent);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"];

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined && content !== null) e.textContent = String(content);
    return e;
  }

  // A date at its precision, as the server writes it (dateline.when.human):
  // "2020", "June 2020", "week of 1 June 2020", "18 June 2020".
  function when(value, precision) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
    if (!m) return value || "";
    precision = precision || (m[3] ? "day" : m[2] ? "month" : "year");
    var year = m[1], month = MONTHS[parseInt(m[2] || "1", 10) - 1], day = parseInt(m[3] || "1", 10);
    if (precision === "year") return year;
    if (precision === "month") return month + " " + year;
    return (precision === "week" ? "week of " : "") + day + " " + month + " " + year;
  }

  function size(n) { return n < 1024 ? n + " bytes" : n < 1048576 ? Math.round(n / 1024) + " KB" : (n / 1048576).toFixed(1) + " MB"; }

  function choose(f) {
    chosenFile = f;
    text.value = "";
    text.disabled = !!f;
    chosen.hidden = !f;
    if (f) {
      document.getElementById("paste-file-name").textContent = f.name + " (" + size(f.size) + ")";
      status.textContent = f.name + " chosen: it is read on the server, as dateline analyze reads it";
    } else {
      file.value = "";
      status.textContent = "";
    }
  }

  text.addEventListener("dragover", function (ev) { ev.preventDefault(); text.classList.add("dragging"); });
  text.addEventListener("dragleave", function () { text.classList.remove("dragging"); });
  text.addEventListener("drop", function (ev) {
    ev.preventDefault();
    text.classList.remove("dragging");
    if (ev.dataTransfer.files.length) choose(ev.dataTransfer.files[0]);
  });
  file.addEventListener("change", function () { if (file.files.length) choose(file.files[0]); });
  document.getElementById("paste-file-clear").addEventListener("click", function () { choose(null); });

  // The analysed text with its quotations, event sentences and trigger words
  // marked, as on an article page: cut at every span boundary, each piece a
  // text node inside a <mark> carrying the classes of the spans covering it.
  function markedText(analysis) {
    var text = (analysis.article || {}).text || "";
    var spans = [];
    (analysis.quotes || []).forEach(function (q) { spans.push([q.start, q.end, "quote"]); });
    var weak = 0;
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
    var weak = 0;
    (analysis.events || []).forEach(function (e) {
      var li = el("li", "event");
      var badge = el("span", "badge", e.type);
      badge.style.background = colours[e.type] || colours.OTHER;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "summary", e.summary));
      if ((e.confidence === undefined ? 0.5 : e.confidence) < LOW) { li.classList.add("weak"); weak++; }
      var meta = [e.location, e.country, when(e.date, e.date_precision)].filter(Boolean);
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
      (article.title ? article.title + " · " : "") + words + " words read" +
      (article.source ? " · " + article.source : "") + (article.published ? " · published " + when(article.published) : "") +
      (article.language ? " · " + article.language : "");
    document.getElementById("paste-weak-note").hidden = !weak;
    document.getElementById("paste-weak-count").textContent = weak + (weak === 1 ? " event" : " events");
    events.classList.toggle("show-weak", weakBox.checked);
    document.getElementById("paste-text-marked").replaceChildren(markedText(analysis));
    document.getElementById("quote-count").textContent = (analysis.quotes || []).length;
    document.getElementById("event-count").textContent = (analysis.events || []).length - weak;
    result.hidden = false;
  }

  weakBox.addEventListener("change", function () {
    document.getElementById("paste-events").classList.toggle("show-weak", weakBox.checked);
  });

  function request() {
    var meta = { title: title.value.trim(), source: source.value.trim(), published: published.value };
    if (chosenFile) {
      var data = new FormData();
      data.append("file", chosenFile, chosenFile.name);
      Object.keys(meta).forEach(function (k) { if (meta[k]) data.append(k, meta[k]); });
      return { method: "POST", body: data };
    }
    var body = { text: text.value };
    Object.keys(meta).forEach(function (k) { if (meta[k]) body[k] = meta[k]; });
    return { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!chosenFile && !text.value.trim()) { status.textContent = "Paste some text or choose a file first."; return; }
    status.textContent = "Analysing…";
    result.hidden = true;
    fetch("/api/analyze", request()).then(function (r) {
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
