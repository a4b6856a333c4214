//! `data/<collection>.ics`: a dated collection as all-day events (RFC 5545), for any date an
//! atlas accepts.

use crate::date::{Date, Precision};
use crate::model::{Atlas, Record};
use crate::urls::Urls;

/// The day after the end of a date at its precision: 1999 ends before 2000-01-01.
fn day_after(d: &Date) -> (i32, u32, u32) {
    match d.precision() {
        Precision::Year => (d.year + 1, 1, 1),
        Precision::Month => {
            let m = u32::from(d.month.unwrap_or(1));
            if m == 12 { (d.year + 1, 1, 1) } else { (d.year, m + 1, 1) }
        }
        Precision::Day => {
            let (y, m, day) = (d.year, u32::from(d.month.unwrap_or(1)), u32::from(d.day.unwrap_or(1)));
            let last = match Date::parse(&format!("{y:04}-{m:02}-{:02}", day + 1)) {
                Ok(_) => return (y, m, day + 1),
                Err(_) => m == 12,
            };
            if last { (y + 1, 1, 1) } else { (y, m + 1, 1) }
        }
    }
}

fn ics_date((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}{m:02}{d:02}")
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let (m, d) = (i64::from(m), i64::from(d));
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// RFC 5545 text: backslash, semicolon, comma and newline escaped; control characters, which
/// a calendar's text may not hold, left out (a tab is kept).
fn ics_text(s: &str) -> String {
    s.chars()
        .filter(|c| *c == '\t' || *c == '\n' || !c.is_control())
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, on character boundaries.
fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

pub(super) fn ics(atlas: &Atlas, name: &str, field: &str, records: &[Record]) -> (String, usize) {
    let host =
        atlas.config.base_url.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("atlas").to_string();
    let mut out = String::new();
    ics_line(&mut out, "BEGIN:VCALENDAR");
    ics_line(&mut out, "VERSION:2.0");
    ics_line(&mut out, &format!("PRODID:-//atlasgen//{}//EN", ics_text(&atlas.config.title)));
    ics_line(&mut out, "CALSCALE:GREGORIAN");
    ics_line(&mut out, &format!("X-WR-CALNAME:{}", ics_text(&atlas.config.title)));
    let mut n = 0;
    for r in records {
        let Some(period) = r.period(field) else { continue };
        let start =
            (period.start.year, u32::from(period.start.month.unwrap_or(1)), u32::from(period.start.day.unwrap_or(1)));
        let end = day_after(period.end.as_ref().unwrap_or(&period.start));
        // DTSTAMP must be a UTC date-time; the record's start keeps the file reproducible.
        let stamp = format!("{}T000000Z", ics_date(start));
        ics_line(&mut out, "BEGIN:VEVENT");
        ics_line(&mut out, &format!("UID:{}.{}@{}", r.id, name, host));
        ics_line(&mut out, &format!("DTSTAMP:{stamp}"));
        ics_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", ics_date(start)));
        if end.0 <= 9999 {
            ics_line(&mut out, &format!("DTEND;VALUE=DATE:{}", ics_date(end)));
        } else {
            // The day after 31 December 9999 has no four-digit year: the length says it.
            ics_line(&mut out, &format!("DURATION:P{}D", days_from_civil(end) - days_from_civil(start)));
        }
        ics_line(&mut out, &format!("SUMMARY:{}", ics_text(&r.title)));
        let text = r.first_text();
        let mut description = format!("Date as the sources give it: {}.", period.display());
        if let Some(t) = text {
            description = format!("{t}\n{description}");
        }
        ics_line(&mut out, &format!("DESCRIPTION:{}", ics_text(&description)));
        ics_line(&mut out, &format!("URL:{}", atlas.urls.absolute(&Urls::record(name, &r.id))));
        ics_line(&mut out, "END:VEVENT");
        n += 1;
    }
    ics_line(&mut out, "END:VCALENDAR");
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    #[test]
    fn calendar_ends_after_the_date_at_its_precision() {
        assert_eq!(day_after(&Date::parse("1999").unwrap()), (2000, 1, 1));
        assert_eq!(day_after(&Date::parse("1957-12").unwrap()), (1958, 1, 1));
        assert_eq!(day_after(&Date::parse("1999-12-31").unwrap()), (2000, 1, 1));
        assert_eq!(day_after(&Date::parse("2024-02-28").unwrap()), (2024, 2, 29));
    }

    #[test]
    fn calendars_hold_any_date_and_text_an_atlas_accepts() {
        assert_eq!(days_from_civil((1970, 1, 1)), 0);
        assert_eq!(days_from_civil((2000, 3, 1)) - days_from_civil((2000, 2, 28)), 2);
        assert_eq!(days_from_civil((10000, 1, 1)) - days_from_civil((9999, 12, 31)), 1);
        assert_eq!(day_after(&Date::parse("9999-12-31").unwrap()), (10000, 1, 1));
        assert_eq!(ics_text("a\u{1}b\u{7f}c\u{9b};\td\n"), "abc\\;\td\\n");
    }

    #[test]
    fn calendar_lines_fold_at_75_octets() {
        let mut out = String::new();
        ics_line(&mut out, &format!("SUMMARY:{}", "Móng Cái ".repeat(20)));
        assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out}");
        assert!(out.contains("\r\n "));
    }
}
