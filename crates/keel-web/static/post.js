// Live character counts: each platform's text is its variant, else the main text. Telegram
// counts UTF-16 units, the others characters (as the server does).
(function () {
  var main = document.querySelector('[data-main-text]');
  if (!main) return;
  function count(platform, text) { return platform === 'telegram' ? text.length : Array.from(text).length; }
  function update() {
    document.querySelectorAll('textarea[data-platform]').forEach(function (area) {
      var text = area.value.trim() === '' ? main.value : area.value;
      var n = count(area.dataset.platform, text), limit = +area.dataset.limit;
      var out = document.querySelector('[data-count-for="' + area.dataset.platform + '"]');
      out.textContent = n + ' / ' + limit + out.textContent.replace(/^[0-9]+ \/ [0-9]+/, '');
      out.classList.toggle('over', n > limit);
    });
  }
  document.addEventListener('input', update);
})();
