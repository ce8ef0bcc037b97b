/*
 * The book's search, on top of Sphinx's searchtools.js (loaded before this file on the search
 * page; platformgov.site.search writes the index it reads).
 *
 * - Query words: a Korean word the index does not hold loses a particle or ending the index
 *   lists (지방자치단체의 → 지방자치단체), or is split into words the index holds
 *   (자치단체장 → 자치단체 + 장).
 * - Ranking: each page's weight for each word comes with the index (mentions in the prose,
 *   bonus for the page title and section headings); a page must hold every query word, and
 *   their weights add up.
 * - Snippets: taken from the page's prose only (no navigation, code, tables, figures or
 *   formulas), around the first place that holds a query word.
 */
"use strict";

(() => {
  const HANGUL = /[\uac00-\ud7a3]/;
  const NOT_PROSE = [
    "nav", "header", "footer", ".bd-header-article", ".header-article-items", "script", "style", "svg", "img", "pre", "table", "figure",
    ".headerlink", ".cell", ".math", ".pg-data-banner", ".admonition-title",
    ".toctree-wrapper", ".prev-next-area", ".bd-toc", ".pg-table-wrap", "form",
  ].join(",");
  const PROSE = "p, li, dt, dd";
  const SNIPPET = 240;
  let marked = [];

  const holds = (term) => Object.prototype.hasOwnProperty.call(Search._index.terms, term);

  // The fewest index words that make up `word` exactly, or null.
  const pieces = (word) => {
    const best = new Array(word.length + 1).fill(null);
    best[0] = [];
    for (let i = 0; i < word.length; i++) {
      if (best[i] === null) continue;
      for (let j = i + 1; j <= word.length; j++) {
        const piece = word.slice(i, j);
        if (holds(piece) && (best[j] === null || best[j].length > best[i].length + 1))
          best[j] = [...best[i], piece];
      }
    }
    return best[word.length];
  };

  // The index words a Korean query word stands for.
  const koreanTerms = (word) => {
    if (holds(word)) return [word];
    const bases = [word];
    for (const suffix of Search._index.pgsuffixes || [])
      if (word.length > suffix.length && word.endsWith(suffix))
        bases.push(word.slice(0, -suffix.length));
    bases.sort((a, b) => b.length - a.length);
    const whole = bases.find(holds);
    if (whole) return [whole];
    for (const base of bases) {
      const found = pieces(base);
      if (found) return found;
    }
    return [word];
  };

  const parseQuery = Search._parseQuery;
  Search._parseQuery = (query) => {
    const [text, searchTerms, excludedTerms, highlightTerms, objectTerms] = parseQuery(query);
    const terms = new Set();
    const marks = new Set();
    searchTerms.forEach((term) => {
      if (!HANGUL.test(term)) return terms.add(term);
      koreanTerms(term).forEach((t) => { terms.add(t); marks.add(t); });
    });
    highlightTerms.forEach((term) => { if (!HANGUL.test(term)) marks.add(term); });
    marked = [...marks];
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED)
      localStorage.setItem("sphinx_highlight_terms", marked.join(" "));
    return [text, terms, excludedTerms, marks, objectTerms];
  };

  // index.terms: {word: [page, weight, page, weight, ...]}
  Search.performTermsSearch = (searchTerms, excludedTerms) => {
    const index = Search._index;
    let scores = null;
    for (const term of searchTerms) {
      const found = new Map();
      const add = (hits, share) => {
        for (let i = 0; i < hits.length; i += 2)
          found.set(hits[i], Math.max(found.get(hits[i]) || 0, hits[i + 1] * share));
      };
      if (holds(term)) add(index.terms[term], 1);
      else if (term.length > 2)
        for (const [word, hits] of Object.entries(index.terms))
          if (word.includes(term)) add(hits, 0.5);
      if (found.size === 0) return [];
      scores = scores === null
        ? found
        : new Map([...scores].filter(([page]) => found.has(page))
            .map(([page, score]) => [page, score + found.get(page)]));
    }
    if (scores === null) return [];
    excludedTerms.forEach((term) => {
      (index.terms[term] || []).forEach((value, i) => { if (i % 2 === 0) scores.delete(value); });
    });
    return [...scores].map(([page, score]) => [
      index.docnames[page], index.titles[page], "", null, Math.round(score), index.filenames[page],
    ]);
  };

  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const main = page.querySelector('[role="main"]');
    if (!main) return "";
    const root = (anchor && main.querySelector(anchor)) || main;
    // An inline formula reads as its text (MathJax's MathML copy); the rest is not prose.
    root.querySelectorAll("span.math").forEach((el) => {
      const mathml = el.querySelector("mjx-assistive-mml, math");
      el.replaceWith(mathml ? mathml.textContent : "");
    });
    root.querySelectorAll(NOT_PROSE).forEach((el) => el.remove());
    return [...root.querySelectorAll(PROSE)]
      .filter((el) => !el.querySelector(PROSE))
      .map((el) => el.textContent.replace(/\s+/g, " ").trim())
      .filter((text) => text)
      .join(" ");
  };

  Search.makeSearchSummary = (htmlText, keywords, anchor) => {
    const text = Search.htmlToText(htmlText, anchor);
    if (!text) return null;
    const lower = text.toLowerCase();
    const hits = [...keywords, ...marked]
      .map((word) => lower.indexOf(word.toLowerCase()))
      .filter((at) => at > -1);
    const at = hits.length ? Math.min(...hits) : 0;
    let start = Math.max(0, at - SNIPPET / 3);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    let end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) end = text.lastIndexOf(" ", end) > at ? text.lastIndexOf(" ", end) : end;
    const summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent =
      (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
    return summary;
  };
})();
