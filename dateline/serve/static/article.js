// The article page: pointing at an event or a quote in the side lists lights
// up its spans in the text, and clicking a span shows its entry in the lists.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  if (!text) return;
  var marks = text.querySelectorAll("mark[data-refs]");

  function light(ref, on) {
    marks.forEach(function (m) {
      if (m.getAttribute("data-refs").split(" ").indexOf(ref) !== -1) m.classList.toggle("lit", on);
    });
  }

  document.querySelectorAll("aside li[id]").forEach(function (li) {
    li.addEventListener("mouseenter", function () { light(li.id, true); });
    li.addEventListener("mouseleave", function () { light(li.id, false); });
  });

  text.addEventListener("click", function (ev) {
    var mark = ev.target.closest("mark[data-refs]");
    if (!mark) return;
    var refs = mark.getAttribute("data-refs").split(" ");
    // The innermost span is listed last: a quote inside an event's sentence wins.
    var entry = document.getElementById(refs[refs.length - 1]);
    if (entry) {
      document.querySelectorAll("aside li.current").forEach(function (li) { li.classList.remove("current"); });
      entry.classList.add("current");
      entry.scrollIntoView({ block: "nearest" });
    }
  });
})();
