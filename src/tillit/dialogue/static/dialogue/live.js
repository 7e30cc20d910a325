// Live dialogue pages: one server-sent event stream per page. A participant's phone gets a new step with its
// HTML in the push; on other events the changed part of the page is fetched again (htmx), at most once a
// second. Countdown timers tick locally from the seconds the server gave, so a phone's wrong clock does not
// matter. No inline script: the content security policy forbids it.
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

  // A textarea holding text the person has typed and not yet sent.
  function dirtyTextareas(root) {
    return Array.from(root.querySelectorAll("textarea:not([readonly])")).filter(
      (area) => area.value.trim() !== "" && area.value !== area.defaultValue,
    );
  }

  // A participant's phone: the new step arrives with its HTML. Text the person had not sent stays on screen.
  function showStep(container, target, html) {
    const unsent = dirtyTextareas(target).map((area) => area.value);
    window.htmx.swap(target, html, { swapStyle: "innerHTML" });
    const choice = target.querySelector("select[name=table]");
    if (choice && container.dataset.table) choice.value = container.dataset.table;
    const template = document.getElementById("unsent-text");
    unsent.reverse().forEach((text) => {
      if (!template) return;
      const notice = template.content.firstElementChild.cloneNode(true);
      notice.querySelector("textarea").value = text;
      target.prepend(notice);
    });
    startTimers(target);
  }

  function updateTimer(target, data) {
    const question = target.querySelector(".step-question");
    if (question && data.question) question.textContent = data.question;
    const timer = target.querySelector(".timer");
    if (!timer || data.remaining === null) return;
    timer.dataset.remaining = String(data.remaining);
    timer.dataset.paused = data.status === "paused" ? "1" : "";
    delete timer.dataset.started;
    timer.classList.toggle("timer--paused", data.status === "paused");
    const tag = timer.querySelector(".timer__paused");
    if (tag) tag.hidden = data.status !== "paused";
    startTimers(target);
  }

  function connect(container) {
    const url = container.dataset.liveUrl;
    const source = container.dataset.liveSrc;
    const targetSelector = container.dataset.liveTarget;
    const target = document.querySelector(targetSelector);
    const phone = container.dataset.table !== undefined;
    if (!url || !source || !target || !window.EventSource) return;
    let timer = null;
    const refresh = () => {
      timer = null;
      const newer = target.querySelector(".newer-version");
      if (dirtyTextareas(target).length) {
        // Someone is writing here: do not replace their text; tell them a newer version exists.
        if (newer) newer.hidden = false;
        return;
      }
      window.htmx.ajax("GET", source, { target: targetSelector, swap: "innerHTML" });
    };
    // Spread the fetches of many devices over a second rather than all in the same instant.
    const schedule = () => {
      if (timer === null) timer = setTimeout(refresh, 300 + Math.random() * 700);
    };
    const events = new EventSource(url);
    ["table", "results", "notes", "participants", "refresh"].forEach((name) => events.addEventListener(name, schedule));
    events.addEventListener("step", (event) => {
      const data = JSON.parse(event.data);
      if (!phone || data.html === undefined) return schedule();
      if (data.per_table && container.dataset.table) return; // the table's own push follows
      const state = target.querySelector(".step-state");
      if (state && state.dataset.step === String(data.step ?? "") && state.dataset.status === data.status) return;
      if (data.lang !== document.documentElement.lang) return schedule();
      showStep(container, target, data.html);
    });
    events.addEventListener("timer", (event) => {
      if (!phone) return schedule();
      updateTimer(target, JSON.parse(event.data));
    });
    events.addEventListener("hide", (event) => {
      const data = JSON.parse(event.data);
      target.querySelectorAll(`[data-statement="${Number(data.statement)}"]`).forEach((element) => element.remove());
    });
    container.dataset.liveConnected = "1";
  }

  function setUp() {
    document.querySelectorAll("[data-live-url]").forEach(connect);
    startTimers(document);
  }

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", (event) => startTimers(event.target));
})();
