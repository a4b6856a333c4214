//! Dates at the precision the sources give them: a year, a month, or a day.
//!
//! History rarely comes with full dates ("1887", "November 1957"), so a date keeps its precision
//! and is shown at that precision, never padded into a false "1 January". A [`Period`] is one
//! date or a span between two, written `start/end` as in ISO 8601 intervals.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

/// A calendar date known to a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a date string was refused, worded for an editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub message: String,
    pub help: String,
}

fn err(message: impl Into<String>, help: impl Into<String>) -> DateError {
    DateError { message: message.into(), help: help.into() }
}

const FORMAT_HELP: &str = "write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. \"1999-12-30\"";

impl Date {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists in that month.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let bad = || err(format!("\"{s}\" is not a date"), FORMAT_HELP);
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok()).flatten()
        };
        let year = num(parts[0], 4).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            None => None,
            Some(p) => {
                let m = num(p, 2).ok_or_else(bad)?;
                if !(1..=12).contains(&m) {
                    return Err(err(format!("month {m} does not exist in \"{s}\""), "months run from 01 to 12"));
                }
                Some(m as u8)
            }
        };
        let day = match parts.get(2) {
            None => None,
            Some(p) => {
                let d = num(p, 2).ok_or_else(bad)?;
                let m = u32::from(month.unwrap_or(1));
                let last = days_in_month(year, m);
                if d < 1 || d > u32::from(last) {
                    return Err(err(
                        format!("{} {} has no day {d}", MONTHS[m as usize - 1], year),
                        format!(
                            "{} {year} has {last} days; check the source for the right date",
                            MONTHS[m as usize - 1]
                        ),
                    ));
                }
                Some(d as u8)
            }
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// ISO form at the date's own precision: `1887`, `1957-11`, `1999-12-30`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// Reading form at the date's precision: "1887", "November 1957", "30 December 1999".
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }

    /// Sort key: unknown parts sort first within their year or month.
    fn key(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn days_in_month(year: i32, month: u32) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// One date, or a span from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Option<Date>,
}

impl Period {
    /// Parses a date or `start/end`; the end may not come before the start.
    pub fn parse(s: &str) -> Result<Period, DateError> {
        match s.split_once('/') {
            None => Ok(Period { start: Date::parse(s)?, end: None }),
            Some((a, b)) => {
                let (start, end) = (Date::parse(a)?, Date::parse(b)?);
                if end < start {
                    return Err(err(
                        format!("the span \"{s}\" ends before it starts"),
                        "write the earlier date first: start/end",
                    ));
                }
                Ok(Period { start, end: Some(end) })
            }
        }
    }

    pub fn iso(&self) -> String {
        match self.end {
            Some(e) => format!("{}/{}", self.start.iso(), e.iso()),
            None => self.start.iso(),
        }
    }

    /// "1887", "October 1977 – June 1978", "30 December 1999".
    pub fn display(&self) -> String {
        match self.end {
            Some(e) => format!("{} – {}", self.start.display(), e.display()),
            None => self.start.display(),
        }
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        self.start.cmp(&other.start).then_with(|| self.end.cmp(&other.end))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_follows_the_text() {
        assert_eq!(Date::parse("1887").unwrap().precision(), Precision::Year);
        assert_eq!(Date::parse("1957-11").unwrap().precision(), Precision::Month);
        assert_eq!(Date::parse("1999-12-30").unwrap().display(), "30 December 1999");
        assert_eq!(Date::parse("1957-11").unwrap().display(), "November 1957");
    }

    #[test]
    fn impossible_days_are_refused() {
        let e = Date::parse("2023-02-30").unwrap_err();
        assert_eq!(e.message, "February 2023 has no day 30");
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2023-13").is_err());
        assert!(Date::parse("99-01-01").is_err());
        assert!(Date::parse("1999-1-1").is_err());
    }

    #[test]
    fn spans_read_and_order() {
        let p = Period::parse("1977-10/1978-06").unwrap();
        assert_eq!(p.display(), "October 1977 – June 1978");
        assert!(Period::parse("1978/1977").unwrap_err().message.contains("ends before"));
        let mut v =
            [Period::parse("1999-12-30").unwrap(), Period::parse("1999").unwrap(), Period::parse("1887").unwrap()];
        v.sort();
        assert_eq!(v.map(|p| p.iso()), ["1887", "1999", "1999-12-30"]);
    }
}
