// Chinese names for towns, from GeoNames' alternate names, which carry no language tags: a
// name in Han script may be simplified or traditional Chinese, Japanese, or a Sino-Vietnamese
// or Korean name, and sometimes belongs to another town of the same romanisation. A name is
// taken only when it is written in simplified characters (OpenCC's tables change nothing in
// it, from traditional or from Japanese forms) and its Mandarin reading is the town's name
// (pinyin-pro): 欽州 and 玉渓 are left out, 钦州 and 玉溪 taken. Where none qualifies the town
// has no Chinese name, and maps show its own.

import OpenCC from "opencc-js";
import { pinyin } from "pinyin-pro";

const fromTraditional = OpenCC.Converter({ from: "t", to: "cn" });
const fromJapanese = OpenCC.Converter({ from: "jp", to: "cn" });
const HAN = /^\p{Script=Han}+$/u;
const SUFFIX = /(?<=\p{Script=Han}{2,})[市县区镇]$/u;

/** Whether a BCP 47 tag is written in simplified Chinese: zh, zh-Hans(-…), zh-CN, zh-SG. */
export function isSimplifiedChinese(tag) {
  const parts = tag.toLowerCase().split("-");
  if (parts[0] !== "zh") return false;
  if (parts.includes("hant") || parts.includes("tw") || parts.includes("hk") || parts.includes("mo")) return false;
  return true;
}

/** A name folded to plain lower-case letters, to compare a romanisation with a reading. */
function letters(s) {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z]/g, "");
}

/** The simplified-Chinese name among `alternates` that reads as `name`, without an
 * administrative suffix (钦州, not 钦州市); null when none does. */
export function chineseCityName(name, alternates = []) {
  const want = letters(name);
  if (!want) return null;
  const found = new Set();
  for (const alt of alternates) {
    if (!HAN.test(alt) || fromTraditional(alt) !== alt || fromJapanese(alt) !== alt) continue;
    for (const form of [alt, alt.replace(SUFFIX, "")]) {
      if (letters(pinyin(form, { toneType: "none", type: "array" }).join("")) === want) found.add(form);
    }
  }
  // The shortest form that reads as the name; of two as short, the first in Unicode order, so
  // the choice does not depend on GeoNames' order.
  return [...found].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))[0] ?? null;
}
