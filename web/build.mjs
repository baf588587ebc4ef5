// Bundles the workbench into one folder that ehsim serve serves (--web):
// index.html, style.css and app.js with its charting library inside, so that
// nothing is fetched from the network when it runs.
//   node build.mjs [OUT]   (default: ../build/web-app)
import { build } from "esbuild";
import { copyFileSync, mkdirSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "..", "build", "web-app"));
mkdirSync(out, { recursive: true });
// Each file is written under a temporary name and renamed: a file under its
// final name is always complete.
await build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  outfile: join(out, "app.js.partial"),
  logLevel: "warning",
});
renameSync(join(out, "app.js.partial"), join(out, "app.js"));
for (const file of ["index.html", "style.css"]) {
  copyFileSync(join(here, "src", file), join(out, file + ".partial"));
  renameSync(join(out, file + ".partial"), join(out, file));
}
console.log(`web app: ${out}`);
