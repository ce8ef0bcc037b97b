// Typesets TeX as SVG at build time, so that readers' browsers run no MathJax.
//
// Reads JSON from standard input: {"items": [{"tex": "...", "display": true}, ...]}.
// Writes JSON to standard output: {"css": "...", "items": [{"html": "..."} or {"error": "..."}]}.
// Each formula becomes an <mjx-container> holding the SVG drawing (hidden from screen readers)
// and its MathML (visually hidden, read by screen readers). Called by platformgov.site.mathsvg.
"use strict";

const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

// autoload and require fetch packages while the page runs; here every package is loaded.
// noerrors and noundefined would draw a mistake in red on the page instead of reporting it.
const LEFT_OUT = ["autoload", "require", "noerrors", "noundefined"];
const PACKAGES = AllPackages.filter((name) => !LEFT_OUT.includes(name));

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function typesetter() {
  const adaptor = liteAdaptor();
  AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
  const input = new TeX({
    packages: PACKAGES,
    // Report a TeX error instead of drawing it in red on the page.
    formatError: (jax, error) => {
      throw error;
    },
  });
  // "local": each formula carries the glyph shapes it uses, once; no page-wide cache to keep.
  const output = new SVG({ fontCache: "local" });
  const document = mathjax.document("", { InputJax: input, OutputJax: output });
  return { adaptor, output, document };
}

async function main() {
  const request = JSON.parse(await readStdin());
  const { adaptor, output, document } = typesetter();
  const items = request.items.map(({ tex, display }) => {
    try {
      const node = document.convert(tex, { display: Boolean(display), em: 16, ex: 8 });
      return { html: adaptor.outerHTML(node) };
    } catch (error) {
      return { error: String(error && error.message ? error.message : error) };
    }
  });
  const css = adaptor.textContent(output.styleSheet(document));
  process.stdout.write(JSON.stringify({ css, items }));
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
