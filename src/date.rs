//! [`Date`]: a calendar date in a request (`birthday`, `wedding_date`).
//!
//! Requests are strict: only real, zero-padded `YYYY-MM-DD` dates are sent. (Dates in
//! responses stay strings: the server sends `1989-10-1` and `2016-02-31`.)

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::Error;

/// A calendar date, sent as `YYYY-MM-DD`.
///
/// Builders take it from a string or a [`chrono::NaiveDate`]:
/// `.birthday("1991-10-19")`; an impossible date such as `"2016-02-31"` is refused
/// with [`Error::InvalidInput`] when the call is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// A date from its parts, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Self, Error> {
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Date)
            .ok_or_else(|| {
                Error::invalid_input(format!("{year:04}-{month:02}-{day:02} is not a real date"))
            })
    }

    /// The date as a [`chrono::NaiveDate`].
    pub fn naive(self) -> NaiveDate {
        self.0
    }
}

impl FromStr for Date {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(Error::invalid_input(format!(
                "invalid date {s:?}: expected YYYY-MM-DD"
            )));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| Error::invalid_input(format!("invalid date {s:?}: not a real date")))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match iso_date(self.0) {
            Some(text) => f.write_str(ascii(&text)?),
            None => write!(f, "{}", self.0.format("%Y-%m-%d")),
        }
    }
}

/// `YYYY-MM-DD`, for a year of four digits, written digit by digit: every request
/// with a date serializes it, and chrono's `format` interprets a format string each time.
/// Other years (`None`) take chrono's form.
pub(crate) fn iso_date(date: NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let mut text = *b"0000-00-00";
    put_digits(&mut text[0..4], year);
    put_digits(&mut text[5..7], date.month());
    put_digits(&mut text[8..10], date.day());
    Some(text)
}

/// Writes `n`'s last `out.len()` decimal digits into `out`, zero-padded.
pub(crate) fn put_digits(out: &mut [u8], mut n: u32) {
    for digit in out.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// The text of digits and separators written by [`iso_date`] and [`put_digits`].
pub(crate) fn ascii(bytes: &[u8]) -> Result<&str, fmt::Error> {
    std::str::from_utf8(bytes).map_err(|_| fmt::Error)
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date(date)
    }
}

impl From<Date> for NaiveDate {
    fn from(date: Date) -> Self {
        date.0
    }
}

crate::text_type::text_type!(Date);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_year_as_chrono_does() {
        for (y, m, d) in [
            (1, 1, 1),
            (999, 12, 31),
            (1991, 10, 19),
            (9999, 1, 2),
            (10000, 3, 4),
            (-44, 3, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                Date(date).to_string(),
                date.format("%Y-%m-%d").to_string(),
                "{y}"
            );
        }
    }

    #[test]
    fn accepts_only_real_zero_padded_dates() {
        assert_eq!(
            "1991-10-19".parse::<Date>().unwrap().to_string(),
            "1991-10-19"
        );
        assert_eq!(
            serde_json::to_string(&Date::from_ymd(2024, 2, 29).unwrap()).unwrap(),
            r#""2024-02-29""#
        );
        for bad in [
            "1989-10-1",
            "2016-02-31",
            "19-10-1991",
            "",
            "1991/10/19",
            "1991-10-19T00:00",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!(Date::from_ymd(2023, 2, 29).is_err());
    }
}
