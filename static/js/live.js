// The live game's screens follow the game through a Server-Sent Events stream. A
// player's stream brings the player's whole screen for each new version (event
// "screen"); the host's and the projector's say the new version (event "version")
// and the page fetches what it looks like. A stream that drops (sleep, Wi-Fi, a
// server restart) reconnects by itself and is sent the current state at once;
// without EventSource the page asks every two seconds.
"use strict";

(function () {
  let shown = null;
  let fetching = false;
  let again = false;
  let lastAnswer = null;
  let resends = 0;
  // Silence longer than this (and a stream not open) is a lost connection.
  const LOST_AFTER_MS = 4000;

  function live() {
    return document.getElementById("live");
  }

  function banner(on) {
    const element = document.getElementById("connection");
    if (element) element.hidden = !on;
  }

  function refresh() {
    const section = live();
    if (!section) return;
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    htmx.ajax("GET", section.dataset.pageUrl, { target: "#live", swap: "outerHTML" }).finally(function () {
      fetching = false;
      if (again) {
        again = false;
        refresh();
      }
    });
  }

  function heard(version) {
    const section = live();
    if (section && String(version) !== section.dataset.version) refresh();
  }

  // A screen pushed by the stream: shown unless this one is already that version
  // (a reconnection resends it; a half-typed year must not be wiped).
  function show(version, html) {
    const section = live();
    if (!section || String(version) === section.dataset.version) return;
    htmx.swap(section, html, { swapStyle: "outerHTML" });
    resends = 0;
    arrived();
  }

  function follow() {
    const section = live();
    if (!section) return;
    if (!window.EventSource) {
      setInterval(function () {
        fetch(section.dataset.stateUrl, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (text) { if (text) heard(text.trim()); })
          .catch(function () {});
      }, 2000);
      return;
    }
    const stream = new EventSource(section.dataset.eventsUrl);
    let lastHeard = Date.now();
    stream.addEventListener("version", function (event) {
      lastHeard = Date.now();
      banner(false);
      heard(event.data);
    });
    stream.addEventListener("screen", function (event) {
      lastHeard = Date.now();
      banner(false);
      show(event.lastEventId, event.data);
    });
    stream.addEventListener("error", function () {
      // EventSource retries by itself. A stream that ends after each message (a WSGI
      // server) reconnects at once, so the banner waits to see whether it is really down.
      setTimeout(function () {
        const quiet = Date.now() - lastHeard > LOST_AFTER_MS;
        if (quiet && stream.readyState !== EventSource.OPEN) banner(true);
      }, LOST_AFTER_MS);
    });
  }

  // A new version swapped in: restart its countdown, and (on a new screen, not a
  // refresh of the same one) bring the keyboard and screen reader to its heading.
  function arrived() {
    const section = live();
    if (!section || section.dataset.version === shown) return;
    shown = section.dataset.version;
    if (window.HistoryQuiz) window.HistoryQuiz.startTimer(section);
    const target = section.querySelector("[data-autofocus]");
    if (target && section.classList.contains("device")) target.focus({ preventScroll: false });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const section = live();
    if (section) shown = section.dataset.version;
    follow();
  });

  document.addEventListener("htmx:afterSwap", function () {
    banner(false);
    resends = 0;
    arrived();
    // "Your answer is in" is said through the page's live region; the focus stays put.
    const status = document.querySelector("#live .answer-in h2");
    if (status && window.HistoryQuiz) window.HistoryQuiz.announce(status.textContent.trim());
  });

  // Back from sleep or another tab: ask at once rather than wait for the stream.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refresh();
  });

  // An answer lost on the way is sent again (the server keeps one answer per question).
  document.addEventListener("htmx:configRequest", function (event) {
    const form = event.detail.elt;
    if (form && form.matches && form.matches("form.live-answer")) {
      lastAnswer = { path: event.detail.path, values: Object.assign({}, event.detail.parameters) };
    }
  });
  document.addEventListener("htmx:sendError", function () {
    const section = live();
    if (!section) return;
    banner(true);
    setTimeout(function () {
      if (lastAnswer && resends < 10) {
        resends += 1;
        htmx.ajax("POST", lastAnswer.path, { target: "#live", swap: "outerHTML", values: lastAnswer.values });
      } else {
        refresh();
      }
    }, 1500);
  });

  // Keys 1-9 press that answer's button (not while typing in a field).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
    const number = Number(event.key);
    if (!number) return;
    const choice = document.querySelectorAll("#live .choices button.choice")[number - 1];
    if (!choice || choice.disabled) return;
    event.preventDefault();
    choice.click();
  });
})();
