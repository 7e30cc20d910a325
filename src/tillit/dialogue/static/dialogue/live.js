// Live dialogue pages: one server-sent event stream per page; on an event the changed part of the page is
// fetched again (htmx), at most once a second. Countdown timers tick locally from the seconds the server
// gave, so a phone's wrong clock does not matter. No inline script: the content security policy forbids it.
(() => {
  "use strict";

  function startTimers(root) {
    root.querySelectorAll(".timer[data-remaining]").forEach((timer) => {
      if (timer.dataset.started) return;
      timer.dataset.started = "1";
      const total = Number(timer.dataset.remaining || 0);
      const paused = timer.dataset.paused === "1";
      const begun = performance.now();
      const value = timer.querySelector(".timer__value");
      const tick = () => {
        if (!document.body.contains(timer)) return;
        const left = paused ? total : Math.max(0, Math.round(total - (performance.now() - begun) / 1000));
        const minutes = Math.floor(left / 60);
        const seconds = String(left % 60).padStart(2, "0");
        if (value) value.textContent = `${minutes}:${seconds}`;
        timer.classList.toggle("timer--done", left === 0);
        if (!paused && left > 0) setTimeout(tick, 1000);
      };
      tick();
    });
  }

  function connect(container) {
    const url = container.dataset.liveUrl;
    const source = container.dataset.liveSrc;
    const target = container.dataset.liveTarget;
    if (!url || !source || !window.EventSource) return;
    let timer = null;
    let stale = false;
    const refresh = () => {
      timer = null;
      const active = document.activeElement;
      const typing = active && active.closest("[data-keep-while-typing]") && active.matches("textarea, input[type=text]");
      if (typing) {
        // Someone is writing here: do not replace their text; refresh when they leave the field.
        stale = true;
        return;
      }
      stale = false;
      window.htmx.ajax("GET", source, { target, swap: "innerHTML" });
    };
    const schedule = () => {
      if (timer === null) timer = setTimeout(refresh, 300 + Math.random() * 700);
    };
    document.addEventListener("focusout", () => { if (stale) schedule(); });
    const events = new EventSource(url);
    ["step", "table", "results", "notes", "participants"].forEach((name) => events.addEventListener(name, schedule));
    container.dataset.liveConnected = "1";
  }

  function setUp() {
    document.querySelectorAll("[data-live-url]").forEach(connect);
    startTimers(document);
    document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
  }

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", (event) => startTimers(event.target));
})();
