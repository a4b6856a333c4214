#!/usr/bin/env bash
# Copies the browser editor (Sveltia CMS) that atlasgen embeds from the npm package that
# package-lock.json pins into src/render/cms/: its script, its licence and its version. Run it
# after changing the version of @sveltia/cms in package.json (npm install), then rebuild;
# tests/e2e/cms.test.js holds the embedded copy to the installed package, byte for byte.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pkg=node_modules/@sveltia/cms
[ -f "$pkg/package.json" ] || { echo "vendor-cms: $pkg is missing: run npm ci first" >&2; exit 1; }
out=src/render/cms
cp "$pkg/dist/sveltia-cms.js" "$out/sveltia-cms.js"
cp "$pkg/LICENSE.txt" "$out/LICENSE.txt"
node -e 'process.stdout.write(require("./'"$pkg"'/package.json").version + "\n")' > "$out/VERSION"
echo "vendor-cms: embedded @sveltia/cms $(cat "$out/VERSION") in $out/"
