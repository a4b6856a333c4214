#!/usr/bin/env node
// atlasgen-basemap: makes an atlas's base map (map.basemap in atlas.yaml) from open data that
// package registries carry, for any region. Run it from the atlas's folder:
//
//   node tools/map-data/extract.mjs --atlas atlas.yaml            (options from map.extract)
//   node tools/map-data/extract.mjs --options data/basemap.extract.yaml
//   node tools/map-data/extract.mjs --box 5.5,45,17.5,48.5 --countries CH,AT,IT,FR,DE,LI \
//        --languages en,de,fr,it -o data/basemap.geojson
//
// Setup, once: `npm run setup` in tools/map-data (npm ci, then pip unpacks the pinned PyPI data
// packages into tools/map-data/pypi/); rivers and lakes also need Debian's GMT and GSHHG:
// `apt-get install gmt gmt-gshhg-high`. `node tools/map-data/extract.mjs --help` lists the options.
//
// THE BASE-MAP FORMAT (what atlasgen reads)
//
// One GeoJSON FeatureCollection (RFC 7946, lon/lat WGS 84) with, at the top level:
//   bbox         [west, south, east, north]: the region the data was cut to (required).
//   attribution  one line naming every source and licence; printed under every map.
//   sources      [{name, package, version…, licence, credit}] for each source used.
// Every feature says its layer in properties.kind; names are `name` (the source's own name:
// English for countries, the local or romanised form elsewhere) plus `name:<tag>` per BCP 47
// language tag asked for (name:vi, name:zh-Hans), present only where a source gives that
// language. Kinds, in drawing order:
//   country      MultiPolygon. iso (ISO 3166-1 alpha-2), iso3, name, name:<tag>.
//   border       MultiLineString: the land border the atlas is about (map.extract.border),
//                countries [a, b], name.
//   boundary     MultiLineString: another land boundary of a chosen country, countries [a, b]
//                (null for a neighbour without an ISO code), name.
//   coast        MultiLineString: the sea coast.
//   admin1       MultiPolygon: a first-level division. id (ne:<adm1_code>), iso (ISO 3166-2, or
//                null), country, type (Province, Municipality…), name, name:<tag>, label
//                [lon, lat] (Natural Earth's label point).
//   admin1-line  MultiLineString: the boundaries between a country's first-level divisions,
//                one feature per country.
//   lake         Polygon: area_km2, rank (1 ≥ 1000 km², 2 ≥ 100, 3 ≥ 20, 4 smaller).
//   river        MultiLineString: rank = WDBII level (1 double-lined, 2 permanent major,
//                3 additional major, 4 other permanent rivers): one feature per rank of the
//                unnamed lines, then one per named river and rank, with name and name:<tag>.
//   city         Point: id (geonames:<id>), name, name:<tag>, country, population, rank
//                (1 most important … 9: national capitals and ≥ 5 M people are 1, then
//                ≥ 1 M, 500 k, 200 k, 100 k, 50 k, 20 k, 10 k), capital ("country" or absent).
//                Sorted by rank, then population: draw and label in order.
// Lower rank = more important: a renderer shows ranks ≤ n at a zoom. Unknown kinds must be
// ignored, so the format can grow.
//
// The names file (map.extract.names) adds or corrects names: a YAML mapping from a feature's
// id, ISO code or name to {name, iso, <tag>: name}, e.g.
//   geonames:1812138: {zh-Hans: 东兴}
// A key that matches nothing is reported. Its `rivers` list names rivers by a point on each
// (lib/rivers.mjs):
//   rivers: [{name: Red River, vi: Sông Hồng, zh-Hans: 红河, at: [103.9128, 22.5331]}]

import { writeFileSync } from "node:fs";
import { build } from "./lib/build.mjs";
import { DEFAULTS, LAYERS, OptionError, parseArgs, resolveOptions } from "./lib/options.mjs";
import { SourceError } from "./lib/sources.mjs";

const HELP = `atlasgen-basemap: make an atlas's base map (GeoJSON) from open data.

Options (the same keys, with _ for -, go in atlas.yaml's map.extract block or an --options file;
the command line wins):
  --atlas FILE            read map.extract, map.overview, map.basemap and languages from atlas.yaml
  --options FILE          read the options from a YAML file (a map.extract block, or its contents)
  --box W,S,E,N           region in degrees (default: map.overview widened by --margin)
  --margin DEG            margin around map.overview when --box is not given (default ${DEFAULTS.margin})
  --countries LIST        ISO 3166-1 alpha-2/alpha-3 codes or English names: VN,CN,LA
  --border PAIRS          the land border(s) the atlas is about: VN-CN (kind "border")
  --layers LIST           any of ${LAYERS.join(",")}
                          (default: all)
  --admin1 LIST           countries whose admin-1 areas to include (default: all the countries)
  --languages LIST        BCP 47 tags to carry names in: en,vi,zh-Hans (default: the atlas's languages)
  --min-population N      smallest city (default ${DEFAULTS.minPopulation})
  --river-level N         WDBII river levels 1..N (default ${DEFAULTS.riverLevel}; 0 for none)
  --lake-area KM2         smallest lake (default ${DEFAULTS.lakeArea})
  --tolerance DEG         simplification tolerance (default ${DEFAULTS.tolerance})
  --precision DIGITS      decimals kept (default ${DEFAULTS.precision}, ≈ 11 m)
  --coast-resolution R    GSHHG resolution for rivers and lakes: full, high, intermediate, low, crude
                          (default ${DEFAULTS.coastResolution})
  --names FILE            YAML file of names to add or correct (see the format in extract.mjs)
  -o, --output FILE       where to write (default: map.basemap; else standard output)
`;

function main() {
  let cli;
  try {
    cli = parseArgs(process.argv.slice(2));
    if (cli.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const opts = resolveOptions(cli);
    const warnings = [];
    const fc = build(opts, (w) => warnings.push(w));
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const text = serialise(fc);
    if (opts.output) {
      writeFileSync(opts.output, text);
      const counts = {};
      for (const f of fc.features) counts[f.properties.kind] = (counts[f.properties.kind] ?? 0) + 1;
      process.stderr.write(`wrote ${opts.output}: ${(text.length / 1024).toFixed(0)} KiB, ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ")}\n`);
    } else process.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof OptionError || e instanceof SourceError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** One feature a line, so a re-extraction's diff says what changed. */
export function serialise(fc) {
  const head = { ...fc };
  delete head.features;
  const body = JSON.stringify(head).slice(0, -1);
  return `${body},"features":[\n${fc.features.map((f) => JSON.stringify(f)).join(",\n")}\n]}\n`;
}

process.exitCode = main();
