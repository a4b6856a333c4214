//! The template environment: the atlas's `templates/` first, built-in defaults second.
//!
//! Templates are read at run time, so editors change the look without rebuilding atlasgen;
//! a template they do not provide falls back to the one embedded in the binary. Undefined
//! variables are errors (a typo is reported with template name and line), and HTML is
//! escaped by default.

use crate::diag::{Diagnostic, Pos};
use crate::i18n::Locale;
use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::path::{Component, Path};
use std::sync::Arc;

pub use crate::layout::TEMPLATES_DIR;

/// Templates compiled into atlasgen, used when the atlas has no file of that name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("defaults/base.html")),
    ("macros.html", include_str!("defaults/macros.html")),
    ("index.html", include_str!("defaults/index.html")),
    ("collection.html", include_str!("defaults/collection.html")),
    ("record.html", include_str!("defaults/record.html")),
    ("facet_index.html", include_str!("defaults/facet_index.html")),
    ("facet.html", include_str!("defaults/facet.html")),
    ("page.html", include_str!("defaults/page.html")),
    ("404.html", include_str!("defaults/404.html")),
    ("search.html", include_str!("defaults/search.html")),
    ("data.html", include_str!("defaults/data.html")),
    ("feed.xml", include_str!("defaults/feed.xml")),
    ("sitemap.xml", include_str!("defaults/sitemap.xml")),
    ("sources/collection.html", include_str!("defaults/sources/collection.html")),
];

/// Stylesheet written to `assets/atlasgen.css` unless the atlas's `static/` has one.
pub const BUILTIN_CSS: &str = include_str!("defaults/atlasgen.css");
/// Starts Pagefind's UI on the search page, with the query from `?q=`.
pub const BUILTIN_SEARCH_JS: &str = include_str!("defaults/atlasgen-search.js");
/// Site icon written to `assets/favicon.svg`.
pub const BUILTIN_ICON: &str = include_str!("defaults/favicon.svg");
/// Small progressive enhancements (table sorting); the site works without it.
pub const BUILTIN_JS: &str = include_str!("defaults/atlasgen.js");
/// The text face the stylesheet names, written to `assets/fonts/`: Source Sans 3 from npm
/// `@fontsource-variable/source-sans-3` (its files as the package ships them, with their
/// licence; `tests/e2e/fonts.test.js` holds them to the package).
pub const BUILTIN_FONTS: &[(&str, &[u8])] = &[
    ("LICENSE", include_bytes!("defaults/fonts/LICENSE")),
    (
        "source-sans-3-cyrillic-ext-wght-italic.woff2",
        include_bytes!("defaults/fonts/source-sans-3-cyrillic-ext-wght-italic.woff2"),
    ),
    (
        "source-sans-3-cyrillic-ext-wght-normal.woff2",
        include_bytes!("defaults/fonts/source-sans-3-cyrillic-ext-wght-normal.woff2"),
    ),
    (
        "source-sans-3-cyrillic-wght-italic.woff2",
        include_bytes!("defaults/fonts/source-sans-3-cyrillic-wght-italic.woff2"),
    ),
    (
        "source-sans-3-cyrillic-wght-normal.woff2",
        include_bytes!("defaults/fonts/source-sans-3-cyrillic-wght-normal.woff2"),
    ),
    (
        "source-sans-3-greek-ext-wght-italic.woff2",
        include_bytes!("defaults/fonts/source-sans-3-greek-ext-wght-italic.woff2"),
    ),
    (
        "source-sans-3-greek-ext-wght-normal.woff2",
        include_bytes!("defaults/fonts/source-sans-3-greek-ext-wght-normal.woff2"),
    ),
    ("source-sans-3-greek-wght-italic.woff2", include_bytes!("defaults/fonts/source-sans-3-greek-wght-italic.woff2")),
    ("source-sans-3-greek-wght-normal.woff2", include_bytes!("defaults/fonts/source-sans-3-greek-wght-normal.woff2")),
    (
        "source-sans-3-latin-ext-wght-italic.woff2",
        include_bytes!("defaults/fonts/source-sans-3-latin-ext-wght-italic.woff2"),
    ),
    (
        "source-sans-3-latin-ext-wght-normal.woff2",
        include_bytes!("defaults/fonts/source-sans-3-latin-ext-wght-normal.woff2"),
    ),
    ("source-sans-3-latin-wght-italic.woff2", include_bytes!("defaults/fonts/source-sans-3-latin-wght-italic.woff2")),
    ("source-sans-3-latin-wght-normal.woff2", include_bytes!("defaults/fonts/source-sans-3-latin-wght-normal.woff2")),
    (
        "source-sans-3-vietnamese-wght-italic.woff2",
        include_bytes!("defaults/fonts/source-sans-3-vietnamese-wght-italic.woff2"),
    ),
    (
        "source-sans-3-vietnamese-wght-normal.woff2",
        include_bytes!("defaults/fonts/source-sans-3-vietnamese-wght-normal.woff2"),
    ),
];
/// Zoom, pan, controls and popups for maps (`assets/atlasgen-map.js`); maps work without it.
pub const MAP_JS: &str = include_str!("defaults/atlasgen-map.js");
/// Panzoom (npm `@panzoom/panzoom`, MIT), vendored byte for byte from `node_modules` (a test
/// holds the copy to the package's `dist/panzoom.min.js`), served as `assets/panzoom.min.js`.
pub const PANZOOM_JS: &str = include_str!("defaults/vendor/panzoom.min.js");
/// Panzoom's licence, served beside it.
pub const PANZOOM_LICENSE: &str = include_str!("defaults/vendor/panzoom.LICENSE.txt");

/// Builds the environment for an atlas rooted at `root`.
pub fn environment(root: &Path, base_path: &str, locale: Arc<Locale>) -> Environment<'static> {
    let dir = root.join(TEMPLATES_DIR);
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("default delimiters are valid"),
    );
    let root = root.to_path_buf();
    env.set_loader(move |name| {
        if !safe_name(name) {
            return Ok(None);
        }
        // `builtin/record.html` is always the embedded default, so an atlas template of the
        // same name can extend it and override one block instead of copying it whole.
        if let Some(builtin) = name.strip_prefix("builtin/") {
            return Ok(BUILTIN.iter().find(|(n, _)| *n == builtin).map(|(_, s)| s.to_string()));
        }
        match read_template(&root, &dir, name) {
            Ok(s) => Ok(Some(s)),
            Err(crate::input::Refused::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, s)| s.to_string()))
            }
            // [`check_files`] has reported it, with its file.
            Err(refused) => Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("cannot read {TEMPLATES_DIR}/{name}: {}", refused.diagnostic(name).message),
            )),
        }
    });
    env.set_formatter(|out, state, value| {
        // Escape the five HTML specials only: URLs stay readable (`/` is not entity-encoded).
        match (state.auto_escape(), value.as_str()) {
            (AutoEscape::Html, Some(s)) if !value.is_safe() => {
                crate::markdown::escape_to(out, s).map_err(minijinja::Error::from)
            }
            _ => minijinja::escape_formatter(out, state, value),
        }
    });
    env.add_filter("fold", |s: &str| super::search::fold(s));
    env.add_filter("bibtex", bibtex);
    // `sentence_gap`: what separates two sentences written one after another (nothing in
    // Chinese, where a template's line break would otherwise show as a space).
    env.add_global("sentence_gap", locale.sentence_gap());
    // `t("Text {x}", x=…)`: the text in the page's language, placeholders filled in.
    // `th(…)` is the same for texts that carry markup: the translation is trusted, the
    // values put into it are escaped unless marked safe (`label='<b>'|safe ~ name ~ '</b>'|safe`:
    // concatenating with a safe string escapes the other side).
    // A whole-number `count` picks the text's plural form and is written in the language's
    // digits: `t("{count} records", count=n)`.
    let l = Arc::clone(&locale);
    env.add_function("t", move |text: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
        fill(&l, text, &kwargs, false)
    });
    let l = Arc::clone(&locale);
    env.add_function("th", move |text: &str, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
        Ok(Value::from_safe_string(fill(&l, text, &kwargs, true)?))
    });
    // `t_forms("{count} results")`: the text's plural forms in the page's language, as
    // [category, form] pairs with `{count}` left in, for scripts that count (they pick a
    // form with `Intl.PluralRules`).
    let l = Arc::clone(&locale);
    env.add_function("t_forms", move |text: &str| -> Vec<(String, String)> {
        l.forms(text).into_iter().map(|(c, f)| (c.to_string(), f)).collect()
    });
    // `number(x)`: a number as the page's language writes it ("12,345", "12.345");
    // `number(x, digits=1)` with that many fraction digits.
    env.add_function("number", move |v: Value, kwargs: Kwargs| -> Result<String, minijinja::Error> {
        let digits: Option<usize> = kwargs.get("digits")?;
        kwargs.assert_all_used()?;
        Ok(match (digits, i64::try_from(v.clone()), f64::try_from(v.clone())) {
            (Some(d), _, Ok(x)) => locale.fixed(x, d),
            (None, Ok(n), _) => locale.integer(n),
            (None, _, Ok(x)) => locale.number(x),
            _ => v.to_string(),
        })
    });
    let base = base_path.to_string();
    env.add_function("asset", move |path: &str| format!("{base}{}", path.trim_start_matches('/')));
    env
}

/// Reports the files of `templates/` that may not be read: links out of the atlas and special
/// files (see [`crate::input`]). Checked before rendering, so the problem names its file.
pub fn check_files(root: &Path, diags: &mut crate::diag::Diagnostics) {
    let (_, refused) = crate::input::walk(root, &root.join(TEMPLATES_DIR), usize::MAX);
    for (path, why) in refused {
        diags.push(why.diagnostic(&crate::content::relative(root, &path)));
    }
}

/// The atlas's template `name`, read as every input is (see [`crate::input`]): never through a
/// link out of the atlas, never a special file.
fn read_template(root: &Path, dir: &Path, name: &str) -> Result<String, crate::input::Refused> {
    let bytes = crate::input::read(root, &dir.join(name), crate::input::MAX_TEXT_BYTES)?;
    String::from_utf8(bytes)
        .map_err(|e| crate::input::Refused::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// `text` in the locale's language with the keyword arguments of `t()` in their `{name}`
/// placeholders; a whole-number `count` chooses the plural form.
fn fill(locale: &Locale, text: &str, kwargs: &Kwargs, html: bool) -> Result<String, minijinja::Error> {
    let count = kwargs.get::<Option<Value>>("count")?.and_then(|v| i64::try_from(v).ok());
    let mut out = match count {
        Some(n) => locale.count(text, n),
        None => locale.t(text),
    };
    for name in kwargs.args() {
        let v: Value = kwargs.get(name)?;
        let safe = v.is_safe();
        let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        let v = if html && !safe { crate::markdown::escape(&v) } else { v };
        out = out.replace(&format!("{{{name}}}"), &v);
    }
    kwargs.assert_all_used()?;
    Ok(out)
}

/// Text inside a BibTeX field's braces: the characters TeX reads as commands escaped.
fn bibtex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

/// Template names may not climb out of the templates folder.
fn safe_name(name: &str) -> bool {
    Path::new(name).components().all(|c| matches!(c, Component::Normal(_)))
}

/// The first of `names` that exists, in the atlas or built in.
pub fn pick<'e>(
    env: &'e Environment<'static>,
    names: &[String],
) -> Result<minijinja::Template<'e, 'e>, minijinja::Error> {
    let mut last = None;
    for n in names {
        match env.get_template(n) {
            Ok(t) => return Ok(t),
            Err(e) if e.kind() == minijinja::ErrorKind::TemplateNotFound => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| minijinja::Error::new(minijinja::ErrorKind::TemplateNotFound, "no template name given")))
}

/// Where the last block-opening tag that is never closed starts (`{% block %}`, `{% if %}`…).
fn unclosed_tag(src: &str) -> Option<Pos> {
    const OPENERS: [&str; 7] = ["block", "if", "for", "macro", "call", "filter", "with"];
    let mut stack: Vec<usize> = Vec::new();
    let mut rest = src;
    let mut offset = 0;
    while let Some(i) = rest.find("{%") {
        let tag_start = offset + i;
        let after = &rest[i + 2..];
        let word: String = after
            .trim_start_matches(['-', '+', ' ', '\t', '\n'])
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if OPENERS.contains(&word.as_str()) {
            stack.push(tag_start);
        } else if word.starts_with("end") && OPENERS.contains(&&word[3..]) {
            stack.pop();
        }
        offset = tag_start + 2;
        rest = &src[offset..];
    }
    let at = *stack.last()?;
    let before = &src[..at];
    Some(Pos::new(
        before.matches('\n').count() + 1,
        before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1,
    ))
}

/// A template error as a diagnostic naming the template file and line.
pub fn diagnostic(root: &Path, e: &minijinja::Error, page: &str) -> Diagnostic {
    let name = e.name().unwrap_or("?").to_string();
    let dir = root.join(TEMPLATES_DIR);
    let local = dir.join(&name);
    let (file, source) = if std::fs::symlink_metadata(&local).is_ok() && !name.starts_with("builtin/") {
        let file = format!("{TEMPLATES_DIR}/{name}");
        match read_template(root, &dir, &name) {
            Ok(source) => (file, Some(source)),
            // A template that may not be read is the problem itself.
            Err(refused) => return refused.diagnostic(&file),
        }
    } else {
        let builtin = name.strip_prefix("builtin/").unwrap_or(&name);
        (format!("<built-in>/{builtin}"), BUILTIN.iter().find(|(n, _)| *n == builtin).map(|(_, s)| s.to_string()))
    };
    // A template that ends inside a tag is best shown where that tag opens.
    let unclosed = match (&source, e.detail()) {
        (Some(src), Some(d)) if d.contains("end of input") => unclosed_tag(src),
        _ => None,
    };
    // minijinja gives the line, and the byte span of the offending expression when it has one.
    let pos = match (e.line(), e.range(), source) {
        _ if unclosed.is_some() => unclosed.expect("checked"),
        (_, Some(range), Some(src)) if range.start <= src.len() && src.is_char_boundary(range.start) => {
            let before = &src[..range.start];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
            Pos::new(line, column)
        }
        (Some(l), _, _) => Pos::new(l, 1),
        _ => Pos::FILE,
    };
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let help = match e.kind() {
        minijinja::ErrorKind::UndefinedError => {
            "a name in the template is not defined here; check its spelling against the context (site, record, collection, page…)"
        }
        minijinja::ErrorKind::SyntaxError => {
            "fix the template syntax: every {% block %} needs its {% endblock %}, every {{ needs }}"
        }
        minijinja::ErrorKind::TemplateNotFound => "add the template to templates/, or fix the name in extends/include",
        _ => "see the template documentation in the README",
    };
    Diagnostic::error(file, pos, format!("template error while rendering {page}: {}{detail}", e.kind())).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_fields_escape_what_tex_reads() {
        assert_eq!(bibtex("Móng Cái – Dongxing"), "Móng Cái – Dongxing");
        assert_eq!(bibtex("A & B {x} 50% $1 #2 a_b"), "A \\& B \\{x\\} 50\\% \\$1 \\#2 a\\_b");
        assert_eq!(bibtex("a\\b~^"), "a\\textbackslash{}b\\textasciitilde{}\\textasciicircum{}");
    }

    #[test]
    fn finds_the_tag_left_open() {
        let src = "{% extends \"base.html\" %}\n{% block main %}\n{% if x %}y{% endif %}\n<p>\n";
        assert_eq!(unclosed_tag(src), Some(Pos::new(2, 1)));
        assert_eq!(unclosed_tag("{% if a %}{% for b in c %}{% endfor %}"), Some(Pos::new(1, 1)));
        assert_eq!(unclosed_tag("{% block a %}{% endblock %}"), None);
    }
}
