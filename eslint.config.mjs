// ESLint for the course's JavaScript (`make lint`). The browser scripts are classic scripts, not ES modules:
// a clinic opens a downloaded copy of the site from file://, where browsers refuse to load modules.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";

export default defineConfig([
  globalIgnores([
    "**/node_modules/",
    "_build/",
    "build/", // setuptools' in-tree copy when a wheel is built
    "dist/",
    "_build_instructor/",
    ".venv/",
    "book/_generated/",
    "test-results/",
  ]),
  js.configs.recommended,
  {
    name: "browser scripts",
    files: ["src/**/*.js", "tests/fixtures/**/*.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },
  {
    // UMD: a global in the page, a CommonJS module under `node --test`.
    name: "pure logic shared with node",
    files: ["src/skintriage/static/core/*.js"],
    languageOptions: { globals: { module: "readonly" } },
  },
  {
    name: "node tests",
    files: ["tests/js/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
  {
    name: "this config",
    files: ["*.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
]);
