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
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
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
