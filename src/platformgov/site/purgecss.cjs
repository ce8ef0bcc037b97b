// Removes the rules of the theme's style sheets that no page of an edition uses.
//
// Reads JSON from standard input: {"css": ["/…/theme.css", …], "content": ["/…/page.html",
// "/…/script.js", …], "safelist": ["pattern", …]}. A rule is kept when a class, id or element
// of its selector occurs as a word in some page or script (scripts add classes as the reader
// opens menus and panels). Writes JSON to standard output: [{"file": "…", "css": "…"}, …].
// Called by platformgov.site.slim.
"use strict";

const { PurgeCSS } = require("purgecss");

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

async function main() {
  const request = JSON.parse(await readStdin());
  const results = await new PurgeCSS().purge({
    css: request.css,
    content: request.content,
    // PurgeCSS drops a selector made of pseudo-classes alone (:focus-visible, ::selection), which
    // applies to every page: such selectors stay.
    safelist: { standard: [/^:/], greedy: (request.safelist || []).map((p) => new RegExp(p)) },
    // Custom properties, @font-face and @keyframes stay: a rule kept may refer to any of them.
    variables: false,
    fontFace: false,
    keyframes: false,
  });
  process.stdout.write(JSON.stringify(results.map((r) => ({ file: r.file, css: r.css }))));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
