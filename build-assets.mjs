// Builds the static assets into localcompact/static/build/ (collected by Django).
// Run by `make setup` after `npm ci`; nothing is fetched at run time.
import { compile } from "sass";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, "localcompact", "static_src");
const out = join(root, "localcompact", "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js", "govuk"), { recursive: true });

const css = compile(join(src, "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "app.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js", "govuk", "govuk-frontend.min.js"));
cpSync(join(src, "app.mjs"), join(out, "js", "app.mjs"));
cpSync(join(src, "body-start.js"), join(out, "js", "body-start.js"));
cpSync(join(src, "favicon.svg"), join(out, "favicon.svg"));
console.log(`Built assets into ${out}`);
