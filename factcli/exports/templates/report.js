"use strict";
// The report's behaviour: selecting marked words shows their claim, the filters hide what they exclude,
// and both live in the page's address (#side=...&actor=...&source=...&status=...&claim=...), so a link
// shares the view. Fact-base text is never parsed as HTML here: claims are shown by cloning the page's
// own escaped elements, and only textContent is ever written.
(() => {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const claims = data.claims;
  const indexOfId = new Map(claims.map((c, i) => [c.id, i]));
  const annotationsOf = claims.map(() => []);
  data.annotations.forEach(([claim], a) => annotationsOf[claim].push(a));
  const FILTERS = ["side", "actor", "source", "status"];
  const selects = Array.from(document.querySelectorAll("#filters select"));
  const panel = document.getElementById("selected");
  const hint = panel.firstElementChild;
  const count = document.getElementById("f-count");
  const marks = Array.from(document.querySelectorAll("a.m"));
  const labelParts = Array.from(document.querySelectorAll(".lbl .part[data-a]"));
  const labels = Array.from(document.querySelectorAll(".lbl"));
  let alsoHere = [];

  // A filter's options are numbered; the address holds the ids they stand for.
  const LISTS = { side: data.sides, actor: data.actors, source: data.sources, status: data.statuses };
  const listOf = (select) => LISTS[select.dataset.filter];

  function readState() {
    const params = new URLSearchParams(location.hash.slice(1));
    const state = { claim: params.get("claim") || "" };
    for (const name of FILTERS) state[name] = params.get(name) || "";
    return state;
  }

  function go(state) {
    const params = new URLSearchParams();
    for (const name of [...FILTERS, "claim"]) if (state[name]) params.set(name, state[name]);
    const hash = params.toString();
    if (location.hash.slice(1) !== hash) location.hash = hash; // Back undoes it
    apply(); // now, not when hashchange comes: the page never shows the old view under the new address
  }

  function shownBy(state) {
    return claims.map(
      (c) =>
        (!state.side || data.sides[c.side] === state.side) &&
        (!state.actor || data.actors[c.actor] === state.actor) &&
        (!state.source || data.sources[c.source] === state.source) &&
        (!state.status || c.status.some((s) => data.statuses[s] === state.status)),
    );
  }

  function claimsOfMark(mark, shown) {
    const found = [];
    for (const a of mark.dataset.a.split(" ")) {
      const claim = data.annotations[Number(a)][0];
      if (shown[claim] && !found.includes(claim)) found.push(claim);
    }
    return found; // outermost first: the innermost is the last
  }

  function apply() {
    const state = readState();
    for (const select of selects) {
      const index = listOf(select).indexOf(state[select.dataset.filter]);
      select.value = index < 0 ? "" : String(index);
    }
    const shown = shownBy(state);
    for (const mark of marks) {
      const off = claimsOfMark(mark, shown).length === 0;
      mark.classList.toggle("off", off);
      if (off) mark.setAttribute("tabindex", "-1");
      else mark.removeAttribute("tabindex");
    }
    for (const part of labelParts) part.hidden = !shown[data.annotations[Number(part.dataset.a)][0]];
    for (const label of labels) {
      // One label lists the claims of one kind ending here: the first one shown takes no separator.
      const parts = Array.from(label.querySelectorAll(".part")).filter((part) => !part.hidden);
      label.hidden = parts.length === 0;
      parts.forEach((part, n) => {
        const separator = part.querySelector(".sep");
        if (separator) separator.hidden = n === 0;
      });
    }
    for (const item of document.querySelectorAll("[data-c]")) {
      const hide = !shown[Number(item.dataset.c)];
      if (item.tagName.toLowerCase() === "g") item.classList.toggle("off", hide);
      else item.hidden = hide;
    }
    for (const section of document.querySelectorAll("section.source")) {
      section.hidden = Boolean(state.source) && data.sources[Number(section.dataset.s)] !== state.source;
    }
    const visible = shown.filter(Boolean).length;
    count.textContent = `${visible} of ${claims.length} claims shown`;
    const selected = indexOfId.has(state.claim) ? indexOfId.get(state.claim) : -1;
    show(selected >= 0 && shown[selected] ? selected : -1);
  }

  function show(claim) {
    for (const mark of document.querySelectorAll("a.m.sel")) mark.classList.remove("sel");
    if (claim < 0) {
      panel.replaceChildren(hint);
      return;
    }
    const wanted = new Set(annotationsOf[claim].map(String));
    let first = null;
    for (const mark of marks) {
      if (mark.dataset.a.split(" ").some((a) => wanted.has(a))) {
        mark.classList.add("sel");
        first = first || mark;
      }
    }
    const article = document.getElementById(`c-${claim + 1}`).querySelector("article").cloneNode(true);
    for (const element of [article, ...article.querySelectorAll("[id], [aria-labelledby]")]) {
      element.removeAttribute("id");
      element.removeAttribute("aria-labelledby");
    }
    const parts = [article];
    const others = alsoHere.filter((c) => c !== claim);
    if (others.length) {
      const heading = document.createElement("h3");
      heading.textContent = "Also marked here";
      const list = document.createElement("ul");
      list.className = "also";
      for (const other of others) {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.claim = String(other);
        const statement = document.getElementById(`c-${other + 1}-statement`).textContent;
        button.textContent = `[${other + 1}] ${statement}`;
        const item = document.createElement("li");
        item.append(button);
        list.append(item);
      }
      parts.push(heading, list);
    }
    panel.replaceChildren(...parts);
    if (first && !document.activeElement?.closest?.("a.m") && !isInView(first)) first.scrollIntoView({ block: "center" });
  }

  function isInView(element) {
    const box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }

  function select(claim, here) {
    alsoHere = here;
    go({ ...readState(), claim: claims[claim].id });
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const mark = target?.closest("a.m");
    if (mark) {
      event.preventDefault();
      const here = claimsOfMark(mark, shownBy(readState()));
      if (here.length) select(here[here.length - 1], here); // words of filtered-out claims are plain text
      return;
    }
    const link = target?.closest('a[href^="#c-"], button[data-claim], g.fig');
    if (!link) return;
    event.preventDefault();
    const claim = link.dataset.claim ?? link.dataset.c ?? String(Number(link.getAttribute("href").slice(3)) - 1);
    select(Number(claim), alsoHere);
  });

  for (const select of selects) {
    select.addEventListener("change", () => {
      const state = readState();
      state[select.dataset.filter] = select.value === "" ? "" : listOf(select)[Number(select.value)];
      if (state.claim && !shownBy(state)[indexOfId.get(state.claim)]) state.claim = "";
      go(state);
    });
  }
  document.getElementById("f-clear").addEventListener("click", () => go({ claim: readState().claim }));
  window.addEventListener("hashchange", apply);
  apply();
})();
