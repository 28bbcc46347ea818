#!/usr/bin/env bash
# The AsyncAPI renderer that /docs/websocket.html loads is committed (src/main/resources/docs/), byte for byte
# the files of the npm package pinned in package.json / package-lock.json: the image is built by Maven on a JDK
# without Node, and nothing may come from a CDN. This script takes the files from node_modules (run `npm ci`
# first) and records their checksums; with --check it only verifies that the committed files are still exactly
# the pinned package's (CI runs that), so an upgrade is: change the version in package.json, `npm install`, rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

package=@asyncapi/web-component
source=node_modules/$package
target=src/main/resources/docs
manifest=tools/asyncapi-renderer.sha256
# npm file -> served file (under /docs/).
declare -A files=(
    [$source/lib/asyncapi-web-component.js]=asyncapi-web-component.js
    [$source/lib/asyncapi-web-component.js.LICENSE.txt]=asyncapi-web-component.js.LICENSE.txt
    [$source/node_modules/@asyncapi/react-component/styles/default.min.css]=asyncapi-web-component.css
    [$source/node_modules/@asyncapi/react-component/LICENSE]=asyncapi-web-component.LICENSE.txt
)

version=$(node -p "require('./$source/package.json').version")
pinned=$(node -p "require('./package.json').devDependencies['$package']")
if [[ "$version" != "$pinned" ]]; then
    echo "node_modules has $package $version, package.json pins $pinned: run npm ci" >&2
    exit 1
fi

if [[ "${1:-}" == "--check" ]]; then
    for from in "${!files[@]}"; do
        if ! cmp -s "$from" "$target/${files[$from]}"; then
            echo "$target/${files[$from]} is not $from of $package $version: run tools/vendor-asyncapi-renderer.sh" >&2
            exit 1
        fi
    done
    echo "The committed AsyncAPI renderer is $package $version, byte for byte."
    exit 0
fi

{
    echo "# $package $version (written by tools/vendor-asyncapi-renderer.sh; checked by VendoredRendererTest)"
    for from in "${!files[@]}"; do
        cp "$from" "$target/${files[$from]}"
        (cd "$target" && sha256sum "${files[$from]}")
    done | sort -k2
} > "$manifest"
echo "Copied $package $version into $target; checksums in $manifest."
