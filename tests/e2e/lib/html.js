'use strict';
// Reads built HTML pages with parse5 (the WHATWG parsing algorithm, as browsers do) and
// collects what the link checks need: every id, and every URL-bearing attribute.
const fs = require('node:fs');
const path = require('node:path');

let parse5;
async function loadParser() {
  parse5 ??= await import('parse5');
  return parse5;
}

// Attributes that hold one URL, on any element (a, link, area, script, img, iframe, source,
// video, audio, track, embed, object, form, button, input, svg use/image ...).
const URL_ATTRS = new Set(['href', 'src', 'poster', 'action', 'formaction', 'data', 'cite', 'xlink:href']);
// Elements on which `data`/`cite` are URLs (elsewhere they are not).
const URL_ATTR_ELEMENTS = { data: new Set(['object']), cite: new Set(['blockquote', 'q', 'del', 'ins']) };

function attrName(a) {
  return a.prefix ? `${a.prefix}:${a.name}` : a.name;
}

/**
 * Parses `html` and returns { ids: Set, duplicateIds: [], refs: [{ tag, attr, value, line, rel }],
 * title, h1 }.
 */
async function scanHtml(html) {
  const { parse } = await loadParser();
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const ids = new Set();
  const duplicateIds = [];
  const refs = [];
  let title = null;
  const h1 = [];
  const text = (node) =>
    node.nodeName === '#text' ? node.value : (node.childNodes || []).map(text).join('');
  // A <template>'s content is a document of its own (the root 404 page carries each other
  // language's page in one): its ids are unique within it, and are the page's once it is shown.
  (function walk(node, scope) {
    if (node.attrs) {
      const tag = node.tagName;
      for (const a of node.attrs) {
        const name = attrName(a);
        if (name === 'id') {
          if (scope.has(a.value)) duplicateIds.push(a.value);
          scope.add(a.value);
          ids.add(a.value);
        }
        const line = node.sourceCodeLocation?.attrs?.[name]?.startLine ?? node.sourceCodeLocation?.startLine;
        const rel = node.attrs.find((x) => x.name === 'rel')?.value ?? '';
        if (URL_ATTRS.has(name) && (!URL_ATTR_ELEMENTS[name] || URL_ATTR_ELEMENTS[name].has(tag))) {
          refs.push({ tag, attr: name, value: a.value, line, rel });
        } else if (name === 'srcset' || name === 'imagesrcset') {
          for (const candidate of a.value.split(',')) {
            const url = candidate.trim().split(/\s+/)[0];
            if (url) refs.push({ tag, attr: name, value: url, line, rel });
          }
        }
      }
      if (tag === 'title' && title === null) title = text(node).trim();
      if (tag === 'h1') h1.push(text(node).trim());
    }
    for (const child of node.childNodes || []) walk(child, scope);
    if (node.content) walk(node.content, new Set()); // <template>
  })(doc, new Set());
  return { ids, duplicateIds, refs, title, h1 };
}

/** Scans every page once, caching by relative path. */
class SiteIndex {
  constructor(siteDir) {
    this.siteDir = siteDir;
    this.pages = new Map();
  }
  async page(rel) {
    if (!this.pages.has(rel)) {
      const html = fs.readFileSync(path.join(this.siteDir, rel), 'utf8');
      this.pages.set(rel, await scanHtml(html));
    }
    return this.pages.get(rel);
  }
}

module.exports = { scanHtml, SiteIndex };
