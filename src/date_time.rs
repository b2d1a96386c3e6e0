//! [`DateTime`]: a point in time in a request (a transaction's `created`).
//!
//! The documentation writes `2013-02-15T13:01:01+07`: ISO 8601 with the offset in hours
//! alone. `DateTime` sends exactly that form (minutes only when the offset has them),
//! and reads it, RFC 3339 (`+07:00`, `Z`) and fractional seconds back.

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDateTime};

use crate::Error;
use crate::date::{ascii, put_digits};

/// A point in time with its UTC offset, sent as `2013-02-15T13:01:01+07`.
///
/// Builders take it from a [`chrono::DateTime`] of any zone, or a string:
///
/// ```
/// use chrono::TimeZone;
/// let jakarta = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
/// let at = jakarta.with_ymd_and_hms(2013, 2, 15, 13, 1, 1).unwrap();
/// let created = stamps::DateTime::from(at);
/// assert_eq!(created.to_string(), "2013-02-15T13:01:01+07");
/// assert_eq!("2013-02-15T13:01:01+07:00".parse::<stamps::DateTime>().unwrap(), created);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateTime(chrono::DateTime<FixedOffset>);

impl DateTime {
    /// The time as a [`chrono::DateTime`].
    pub fn chrono(self) -> chrono::DateTime<FixedOffset> {
        self.0
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(at: chrono::DateTime<Tz>) -> Self {
        DateTime(at.fixed_offset())
    }
}

impl FromStr for DateTime {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        parse_by_position(s)
            .or_else(|| parse_general(s))
            .map(DateTime)
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "invalid date-time {s:?}: expected YYYY-MM-DDTHH:MM:SS with an offset, e.g. 2013-02-15T13:01:01+07"
                ))
            })
    }
}

/// RFC 3339, or the documented form (`+07`, the offset in hours alone) with optional
/// fractional seconds, through chrono's parsers.
fn parse_general(s: &str) -> Option<chrono::DateTime<FixedOffset>> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(at);
    }
    // Checked: a multi-byte character there must not panic.
    let (local, offset) = s.split_at_checked(s.len().checked_sub(3)?)?;
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = offset.get(1..)?.parse().ok()?;
    let zone = FixedOffset::east_opt(sign * hours * 3600)?;
    NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()?
        .and_local_timezone(zone)
        .single()
}

/// `YYYY-MM-DDTHH:MM:SS` and `Z`, `±HH` or `±HH:MM`, read by position: the documented
/// form and RFC 3339's common one, without chrono's format parser, which interprets
/// a format description on every call. `None` for anything else (fractions, leap
/// seconds, other separators), which the general path reads.
fn parse_by_position(s: &str) -> Option<chrono::DateTime<FixedOffset>> {
    use chrono::TimeZone;
    let b = s.as_bytes();
    let number = |range: std::ops::Range<usize>| {
        b.get(range)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| b.get(i) != Some(&c)) {
        return None;
    }
    let seconds = number(17..19).filter(|s| *s < 60)?;
    let offset_seconds = match (b.get(19)?, b.len()) {
        (b'Z', 20) => 0,
        (sign @ (b'+' | b'-'), 22 | 25) => {
            let minutes = if b.len() == 25 {
                (b[22] == b':').then_some(())?;
                number(23..25).filter(|m| *m < 60)?
            } else {
                0
            };
            let magnitude = i32::try_from(number(20..22)? * 3600 + minutes * 60).ok()?;
            if *sign == b'-' { -magnitude } else { magnitude }
        }
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    let local = date.and_hms_opt(number(11..13)?, number(14..16)?, seconds)?;
    FixedOffset::east_opt(offset_seconds)?
        .from_local_datetime(&local)
        .single()
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Timelike;
        // Digit by digit into one buffer, written once, like `Date` (chrono's `format`
        // is slow, and each write goes through the serializer's escaping), for
        // four-digit years.
        let local = self.0.naive_local();
        let offset = self.0.offset().local_minus_utc();
        let (hours, minutes) = (
            offset.unsigned_abs() / 3600,
            offset.unsigned_abs() % 3600 / 60,
        );
        let mut text = *b"0000-00-00T00:00:00+00:00";
        if offset < 0 {
            text[19] = b'-';
        }
        put_digits(&mut text[20..22], hours);
        put_digits(&mut text[23..25], minutes);
        // Minutes only when the offset has them: `+07`, `+05:30`.
        let len = if minutes == 0 { 22 } else { 25 };
        let Some(date) = crate::date::iso_date(local.date()) else {
            write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S"))?;
            return f.write_str(ascii(&text[19..len])?);
        };
        text[..10].copy_from_slice(&date);
        put_digits(&mut text[11..13], local.hour());
        put_digits(&mut text[14..16], local.minute());
        // A leap second is second 59 with over a second of nanoseconds: `60`.
        let leap = u32::from(local.nanosecond() >= 1_000_000_000);
        put_digits(&mut text[17..19], local.second() + leap);
        f.write_str(ascii(&text[..len])?)
    }
}

crate::text_type::text_type!(DateTime);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_documented_form_and_reads_rfc_3339_too() {
        for (text, written) in [
            ("2013-02-15T13:01:01+07", "2013-02-15T13:01:01+07"),
            ("2013-02-15T13:01:01+07:00", "2013-02-15T13:01:01+07"),
            ("2013-02-15T13:01:01.5+05:30", "2013-02-15T13:01:01+05:30"),
            ("2013-02-15T06:01:01Z", "2013-02-15T06:01:01+00"),
            ("2013-02-15T13:01:01-03", "2013-02-15T13:01:01-03"),
            ("2013-02-15T13:01:01-09:30", "2013-02-15T13:01:01-09:30"),
            ("0001-01-01T00:00:00+00", "0001-01-01T00:00:00+00"),
            ("1998-12-31T23:59:60+00", "1998-12-31T23:59:60+00"),
        ] {
            assert_eq!(
                text.parse::<DateTime>().unwrap().to_string(),
                written,
                "{text}"
            );
        }
        // Years past four digits take chrono's form.
        let far = chrono::NaiveDate::from_ymd_opt(12345, 6, 7)
            .unwrap()
            .and_hms_opt(8, 9, 10)
            .unwrap()
            .and_utc();
        assert_eq!(DateTime::from(far).to_string(), "+12345-06-07T08:09:10+00");
        for bad in [
            "",
            "2013-02-15",
            "2013-02-15T13:01:01+",
            "2013-02-15T13:01:01+7",
            "2013-02-15T13:01:01+07:0",
            "2013-02-15T13:01:01+0a",
            "2013-02-15T24:01:01+07",
            "2013-13-15T13:01:01+07",
            "2013-02-15T13:01:01+24",
            "2013-02-15T13:01:01Z+07",
            "２013-02-15T13:01:01+07",
            "2013-02-15T13:01:01éé",
            "2013-02-15T13:01:01",
            "2013-02-31T13:01:01+07",
            "x+07",
        ] {
            assert!(bad.parse::<DateTime>().is_err(), "{bad}");
        }
    }

    /// The positional reader agrees with the general one wherever it answers.
    #[test]
    fn the_fast_path_reads_what_the_general_path_reads() {
        let mut read = 0;
        for date in [
            "2013-02-15",
            "2024-02-29",
            "2023-02-29",
            "0001-01-01",
            "9999-12-31",
        ] {
            for time in [
                "T13:01:01",
                "T00:00:00",
                "T23:59:59",
                "T23:59:60",
                "T24:00:00",
                "T12:60:00",
            ] {
                for offset in [
                    "+07", "-03", "+00", "Z", "+07:00", "-09:30", "+05:45", "+23:59", "+24",
                    "+07:60",
                ] {
                    let text = format!("{date}{time}{offset}");
                    if let Some(fast) = parse_by_position(&text) {
                        assert_eq!(Some(fast), parse_general(&text), "{text}");
                        read += 1;
                    }
                }
            }
        }
        // Every valid date (4), time but the leap second (3) and offset (8).
        assert_eq!(read, 4 * 3 * 8);
    }
}
