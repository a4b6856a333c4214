//! Escaping text for HTML, through the escaper pulldown-cmark writes Markdown with, so that
//! text atlasgen writes itself and text the Markdown renderer writes are escaped alike.

/// Escapes text for HTML content and attribute values (quoted with `"` or `'`): `&`, `<`, `>`,
/// `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s); // writing to a String cannot fail
    out
}

/// [`escape`], written to `out` (runs of plain text are copied whole, which matters when it
/// escapes every value of every page).
pub fn escape_to(out: &mut (impl std::fmt::Write + ?Sized), s: &str) -> std::fmt::Result {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(out), s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_specials_and_nothing_else() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a> Móng Cái"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; Móng Cái"
        );
        let mut out = String::from("=");
        escape_to(&mut out, "a<b").unwrap();
        assert_eq!(out, "=a&lt;b");
    }
}
