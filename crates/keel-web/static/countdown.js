// Live countdowns: every element with data-deadline (an RFC 3339 instant) shows the time left
// in the page's language, refreshed every 30 seconds. The server renders the same words first,
// so the page reads right before (and without) this script.
(function () {
  "use strict";
  var ru = document.documentElement.lang === "ru";
  function words(ms) {
    var minutes = Math.round(Math.abs(ms) / 60000);
    var h = Math.floor(minutes / 60);
    var m = minutes % 60;
    var span = h > 0 ? h + (ru ? " ч " : " h ") + m + (ru ? " мин" : " min") : m + (ru ? " мин" : " min");
    if (ms < 0) {
      return (ru ? "просрочено на " : "overdue by ") + span;
    }
    return ru ? "осталось " + span : span + " left";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("data-deadline"));
      if (!isNaN(at)) {
        el.textContent = words(at - now);
        el.classList.toggle("overdue", at < now);
      }
    });
  }
  tick();
  setInterval(tick, 30000);
})();
