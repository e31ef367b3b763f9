#!/usr/bin/env bash
# Fetches the retrieval evaluation's manuals (PDFs exactly as Debian ships them in its documentation packages) into
# bench/target/manuals. Each package version and each PDF's SHA-256 is pinned: another build of a PDF moves its pages,
# and the questions' page labels would silently lie. `apt-get download` + `dpkg -x` install nothing.
set -euo pipefail
cd "$(dirname "$0")"
out=target/manuals
mkdir -p "$out/debs" "$out/x"

# name  package=version  path inside the package  sha256
manuals=(
  "gnuplot.pdf   gnuplot-doc=5.4.4+dfsg1-2      usr/share/doc/gnuplot/gnuplot.pdf      df68dd0613f043141512fc4436d17aaf96727d5a758d85233915ac5056a97206"
  "R-FAQ.pdf     r-doc-pdf=4.2.2.20221110-2     usr/share/R/doc/manual/R-FAQ.pdf       de8768520d4fb90dad64c28483ffb92dca7dd9d8dc8556905b35c2e62a939255"
  "R-intro.pdf   r-doc-pdf=4.2.2.20221110-2     usr/share/R/doc/manual/R-intro.pdf     337ccd0b490b1e66f7e783b45f4588d0599730b4206c0c051edfe1419c568c51"
  "R-admin.pdf   r-doc-pdf=4.2.2.20221110-2     usr/share/R/doc/manual/R-admin.pdf     50e256b5f873bbee4c8482df3754fa8654f02ef693409fe5e30b2f114e3efe9f"
  "glpk.pdf      glpk-doc=5.0-1                 usr/share/doc/glpk-doc/glpk.pdf        002d0328518a17b58919a2860b7f72d52594a73008f72c85f0dd70dfa138250f"
)

for line in "${manuals[@]}"; do
  read -r name pkg path sha <<<"$line"
  if [ -f "$out/$name" ] && echo "$sha  $out/$name" | sha256sum -c --quiet 2>/dev/null; then
    continue
  fi
  deb=$(ls "$out/debs/${pkg%%=*}_"*.deb 2>/dev/null | head -1 || true)
  if [ -z "$deb" ]; then
    (cd "$out/debs" && apt-get download "$pkg" >/dev/null) || {
      echo "fetch-manuals.sh: cannot download $pkg (run apt-get update once; is this Debian 12?)" >&2; exit 1; }
    deb=$(ls "$out/debs/${pkg%%=*}_"*.deb | head -1)
  fi
  dpkg -x "$deb" "$out/x"
  cp "$out/x/$path" "$out/$name"
  echo "$sha  $out/$name" | sha256sum -c --quiet || { echo "fetch-manuals.sh: $name is not the pinned build" >&2; exit 1; }
done
rm -rf "$out/x"
echo "manuals in bench/$out: $(cd "$out" && ls *.pdf | tr '\n' ' ')"
