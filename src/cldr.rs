//! Dates, numbers and plural categories in any language, from CLDR data through ICU4X.
//!
//! Nothing here is written per language: a locale tag (`de`, `en-GB`, `vi`, `zh-Hans`) picks
//! CLDR's own forms, so an atlas in a language atlasgen has never seen gets "5. September
//! 1980", "5 septembre 1980" or "1980年9月5日" without code. Dates keep their precision: a year
//! is formatted as a year, a month as a month and year.

use crate::date::Date;
use fixed_decimal::Decimal;
use icu_calendar::Gregorian;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::enums::DateFieldSet;
use icu_datetime::fieldsets::{Y, YM, YMD};
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames, MonthNameLength};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use std::str::FromStr;
use writeable::TryWriteable;

/// Digits are grouped from five digits on ("12,345", but "1435" and "2024"): years and
/// four-digit figures read as they are written, as most style guides set them.
fn decimal_options() -> icu_decimal::options::DecimalFormatterOptions {
    let mut o = icu_decimal::options::DecimalFormatterOptions::default();
    o.grouping_strategy = Some(icu_decimal::options::GroupingStrategy::Min2);
    o
}

/// One locale's formatters, made once per language of a build.
pub struct Cldr {
    year: FixedCalendarDateTimeFormatter<Gregorian, Y>,
    month: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    day: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    decimal: DecimalFormatter,
    plurals: PluralRules,
    /// Patterns a translation table gives in place of CLDR's, at day, month and year
    /// precision, with the month and era names they need.
    patterns: [Option<DateTimePattern>; 3],
    names: Option<FixedCalendarDateTimeNames<Gregorian, DateFieldSet>>,
}

/// The table entries whose values, UTS 35 date patterns, replace CLDR's forms: an atlas (or a
/// built-in table) writes `"{date:day}": "d MMMM 'năm' y"` where CLDR's form is not the one
/// its readers expect. Months are written by name (`MMMM`, `MMM`): numeric month fields need
/// data ICU4X does not ship for patterns of one's own.
pub const DATE_PATTERN_KEYS: [&str; 3] = ["{date:day}", "{date:month}", "{date:year}"];

impl std::fmt::Debug for Cldr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cldr")
    }
}

impl Cldr {
    /// The formatters of `tag` (a BCP 47 language tag). A tag CLDR lacks falls back to its
    /// parent (`de-CH` → `de`) and in the end to the root locale; a tag that is not BCP 47 at
    /// all is an error for `check` to report.
    pub fn new(tag: &str) -> Result<Cldr, String> {
        let locale = Locale::from_str(tag).map_err(|e| format!("`{tag}` is not a language tag ({e})"))?;
        let fail = |what: &str, e: &dyn std::fmt::Display| format!("no {what} data for `{tag}`: {e}");
        Ok(Cldr {
            year: FixedCalendarDateTimeFormatter::try_new((&locale).into(), Y::long()).map_err(|e| fail("date", &e))?,
            month: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YM::long())
                .map_err(|e| fail("date", &e))?,
            day: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long())
                .map_err(|e| fail("date", &e))?,
            decimal: DecimalFormatter::try_new((&locale).into(), decimal_options()).map_err(|e| fail("number", &e))?,
            plurals: PluralRules::try_new_cardinal((&locale).into()).map_err(|e| fail("plural", &e))?,
            patterns: [None, None, None],
            names: None,
        })
    }

    /// These formatters with date patterns of their own, by precision (day, month, year); an
    /// error names the pattern that does not parse or whose names CLDR lacks.
    pub fn with_patterns(mut self, tag: &str, patterns: [Option<&str>; 3]) -> Result<Cldr, String> {
        let locale = Locale::from_str(tag).map_err(|e| format!("`{tag}` is not a language tag ({e})"))?;
        let mut names: FixedCalendarDateTimeNames<Gregorian, DateFieldSet> =
            FixedCalendarDateTimeNames::try_new((&locale).into())
                .map_err(|e| format!("no date names for `{tag}`: {e}"))?;
        for (slot, p) in self.patterns.iter_mut().zip(patterns) {
            let Some(p) = p else { continue };
            let pattern =
                DateTimePattern::try_from_pattern_str(p).map_err(|e| format!("\"{p}\" is not a date pattern: {e}"))?;
            // Numeric fields need the digits; month names are loaded once, at the length the
            // pattern asks for (a numeric month needs them too, for calendars with leap months).
            names.include_decimal_formatter().map_err(|e| format!("\"{p}\": {e}"))?;
            let length = if p.contains("MMMM") { MonthNameLength::Wide } else { MonthNameLength::Abbreviated };
            let _ = names.include_month_names(length);
            *slot = Some(pattern);
        }
        self.names = Some(names);
        Ok(self)
    }

    /// A date at its own precision, in the locale's long form. Years outside what the
    /// calendar takes are written as numbers.
    pub fn date(&self, d: &Date) -> String {
        let at = |m: u8, day: u8| icu_calendar::Date::try_new_gregorian(d.year, m, day).ok();
        let precision = match (d.month, d.day) {
            (Some(_), Some(_)) => 0,
            (Some(_), None) => 1,
            _ => 2,
        };
        if let (Some(pattern), Some(names)) = (&self.patterns[precision], &self.names)
            && let Some(date) = at(d.month.unwrap_or(1), d.day.unwrap_or(1))
            && let Ok(text) = names.with_pattern_unchecked(pattern).format(&date).try_write_to_string()
        {
            return text.into_owned();
        }
        let text = match (d.month, d.day) {
            (Some(m), Some(day)) => at(m, day).map(|x| self.day.format(&x).to_string()),
            (Some(m), None) => at(m, 1).map(|x| self.month.format(&x).to_string()),
            _ => at(1, 1).map(|x| self.year.format(&x).to_string()),
        };
        text.unwrap_or_else(|| d.display())
    }

    /// A whole number with the locale's grouping ("12,345", "12.345").
    pub fn integer(&self, n: i64) -> String {
        self.decimal.format(&Decimal::from(n)).to_string()
    }

    /// A number with the digits it was written with, in the locale's form ("12,449.566",
    /// "12.449,566").
    pub fn number(&self, x: f64) -> String {
        match Decimal::from_str(&x.to_string()) {
            Ok(d) => self.decimal.format(&d).to_string(),
            Err(_) => x.to_string(),
        }
    }

    /// A decimal written with exactly `digits` fraction digits ("21,5330" in Vietnamese).
    pub fn fixed(&self, x: f64, digits: usize) -> String {
        match Decimal::from_str(&format!("{x:.digits$}")) {
            Ok(d) => self.decimal.format(&d).to_string(),
            Err(_) => format!("{x:.digits$}"),
        }
    }

    /// The plural category of `n` in this language: "zero", "one", "two", "few", "many" or
    /// "other", as translation tables name their forms.
    pub fn plural(&self, n: i64) -> &'static str {
        category_name(self.plurals.category_for(n))
    }

    /// The plural categories this language's whole numbers fall into ("one", "other" in
    /// English; "other" alone in Vietnamese), as CLDR names them.
    pub fn plural_categories(&self) -> Vec<&'static str> {
        self.plurals.categories().map(category_name).collect()
    }
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The Open Graph locale of `tag` (a BCP 47 tag): Open Graph's `og:locale` is
/// `language_TERRITORY` (<https://ogp.me/#optional>), and link previews read a bare `vi` or a
/// script (`zh_Hans`) as no locale. The territory is CLDR's likely one where the tag names none
/// (`vi` → `vi_VN`, `zh-Hans` → `zh_CN`, `de` → `de_DE`) and the tag's own where it does
/// (`en-GB` → `en_GB`). A language CLDR has no likely territory for keeps its language alone;
/// a tag that is not BCP 47 (which `check` reports) is returned with `_` for `-`.
pub fn og_locale(tag: &str) -> String {
    let Ok(locale) = Locale::from_str(tag) else { return tag.replace('-', "_") };
    let mut id = locale.id;
    // The extended set: likely subtags of every language CLDR knows, not only those it has
    // formatting data for, as an atlas may be written in any of them.
    icu_locale::LocaleExpander::new_extended().maximize(&mut id);
    match id.region {
        Some(region) => format!("{}_{}", id.language, region),
        None => id.language.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn dates_from_cldr_at_their_precision() {
        let cases = [
            ("en-GB", "1999-12-30", "30 December 1999"),
            ("en", "1999-12-30", "December 30, 1999"),
            ("de", "1980-09-05", "5. September 1980"),
            ("fr", "1980-09-05", "5 septembre 1980"),
            ("ja", "1980-09-05", "1980年9月5日"),
            ("zh-Hans", "1999-12-30", "1999年12月30日"),
            ("zh-Hans", "1957-11", "1957年11月"),
            ("de", "1957-11", "November 1957"),
            ("en-GB", "1887", "1887"),
        ];
        for (tag, date, want) in cases {
            assert_eq!(Cldr::new(tag).unwrap().date(&d(date)), want, "{tag} {date}");
        }
        let vi = Cldr::new("vi").unwrap();
        assert!(vi.date(&d("1999-12-30")).contains("tháng 12"), "{}", vi.date(&d("1999-12-30")));
    }

    #[test]
    fn a_table_may_give_its_own_date_patterns() {
        let vi = Cldr::new("vi").unwrap().with_patterns("vi", [Some("d MMMM 'năm' y"), None, None]).unwrap();
        assert_eq!(vi.date(&d("2001-12-27")), "27 tháng 12 năm 2001");
        assert_eq!(vi.date(&d("1957-11")), "tháng 11 năm 1957", "other precisions keep CLDR's form");
        let de = Cldr::new("de").unwrap().with_patterns("de", [Some("d. MMMM y"), None, None]).unwrap();
        assert_eq!(de.date(&d("1980-09-05")), "5. September 1980");
        assert!(Cldr::new("en").unwrap().with_patterns("en", [Some("d 'unclosed"), None, None]).is_err());
    }

    #[test]
    fn numbers_and_plurals_from_cldr() {
        assert_eq!(Cldr::new("en").unwrap().integer(2024), "2024");
        assert_eq!(Cldr::new("en").unwrap().integer(19710), "19,710");
        assert_eq!(Cldr::new("vi").unwrap().integer(19710), "19.710");
        assert_eq!(Cldr::new("de").unwrap().number(1449.566), "1449,566");
        assert_eq!(Cldr::new("de").unwrap().number(11449.5), "11.449,5");
        assert_eq!(Cldr::new("en").unwrap().plural(1), "one");
        assert_eq!(Cldr::new("en").unwrap().plural(2), "other");
        assert_eq!(Cldr::new("zh-Hans").unwrap().plural(1), "other");
        assert!(Cldr::new("not a tag").is_err());
    }

    #[test]
    fn open_graph_locales_name_a_territory() {
        let cases = [
            ("en", "en_US"),
            ("en-GB", "en_GB"),
            ("vi", "vi_VN"),
            ("zh-Hans", "zh_CN"),
            ("zh-Hant", "zh_TW"),
            ("zh-HK", "zh_HK"),
            ("de", "de_DE"),
            ("de-CH", "de_CH"),
            ("fr", "fr_FR"),
            ("pt", "pt_BR"),
            ("ja", "ja_JP"),
            ("sr-Latn", "sr_RS"),
            ("es-419", "es_419"),
            ("en-GB-u-ca-gregory", "en_GB"),
            // A language of CLDR's extended set only (Chakma).
            ("ccp", "ccp_BD"),
        ];
        for (tag, want) in cases {
            assert_eq!(og_locale(tag), want, "{tag}");
        }
        assert_eq!(og_locale("not a tag"), "not a tag");
    }
}
