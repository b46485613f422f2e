//! An instant in time with nanosecond precision, and the three Smithy
//! timestamp formats.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// An instant: whole seconds since 1970-01-01T00:00:00Z (negative before it)
/// plus a non-negative nanosecond offset into that second.
///
/// The accessors mirror `aws_smithy_types::DateTime`, so code written for the
/// official SDK reads the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    subsecond_nanos: u32,
}

/// The wire formats Smithy defines for timestamps (`@timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 3339 `date-time`, for example `2024-05-01T12:30:00.5Z`.
    DateTime,
    /// RFC 7231 IMF-fixdate, for example `Wed, 01 May 2024 12:30:00 GMT`.
    HttpDate,
    /// Seconds since the Unix epoch, fractional when needed.
    EpochSeconds,
}

/// A timestamp that could not be parsed, built or formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl DateTimeError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// Whole seconds since the epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        Self {
            seconds,
            subsecond_nanos: 0,
        }
    }

    /// Milliseconds since the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            seconds: millis.div_euclid(1000),
            subsecond_nanos: (millis.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    /// Seconds since the epoch plus nanoseconds; nanoseconds past one second
    /// carry into the seconds.
    pub const fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        Self {
            seconds: seconds + (nanos / NANOS_PER_SEC) as i64,
            subsecond_nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Nanoseconds since the epoch; fails when outside the `i64` seconds range.
    pub fn from_nanos(nanos: i128) -> Result<Self, DateTimeError> {
        let seconds = nanos.div_euclid(NANOS_PER_SEC as i128);
        let seconds = i64::try_from(seconds)
            .map_err(|_| DateTimeError::new("nanoseconds out of range for a timestamp"))?;
        Ok(Self {
            seconds,
            subsecond_nanos: nanos.rem_euclid(NANOS_PER_SEC as i128) as u32,
        })
    }

    /// Fractional seconds since the epoch, rounded to the nearest nanosecond.
    /// Values beyond the representable range saturate; NaN gives the epoch.
    pub fn from_secs_f64(epoch_seconds: f64) -> Self {
        Self::from_f64_with_step(epoch_seconds, 1)
    }

    /// Fractional seconds as read from a JSON number: an `f64` holds about
    /// 16 significant digits, so for present-day instants only microseconds
    /// are meaningful. Rounding to them keeps `1515531081.123` exactly 123 ms
    /// instead of 123.000144 ms.
    pub fn from_wire_f64(epoch_seconds: f64) -> Self {
        Self::from_f64_with_step(epoch_seconds, 1_000)
    }

    fn from_f64_with_step(epoch_seconds: f64, step_nanos: u32) -> Self {
        if epoch_seconds.is_nan() {
            return Self::default();
        }
        let floor = epoch_seconds.floor();
        if floor >= i64::MAX as f64 {
            return Self::from_secs_and_nanos(i64::MAX, NANOS_PER_SEC - 1);
        }
        if floor <= i64::MIN as f64 {
            return Self::from_secs(i64::MIN);
        }
        let steps_per_sec = f64::from(NANOS_PER_SEC / step_nanos);
        let steps = ((epoch_seconds - floor) * steps_per_sec).round() as u32;
        let nanos = steps.saturating_mul(step_nanos);
        let seconds = floor as i64;
        if nanos >= NANOS_PER_SEC {
            Self::from_secs(seconds.saturating_add(1))
        } else {
            Self {
                seconds,
                subsecond_nanos: nanos,
            }
        }
    }

    /// Whole seconds since the epoch (floor for instants before it).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`DateTime::secs`], always below one billion.
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsecond_nanos
    }

    /// Whether the instant has a fractional second.
    pub const fn has_subsec_nanos(&self) -> bool {
        self.subsecond_nanos != 0
    }

    /// Fractional seconds since the epoch.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsecond_nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Milliseconds since the epoch, truncated toward negative infinity.
    pub fn to_millis(&self) -> Result<i64, DateTimeError> {
        self.seconds
            .checked_mul(1000)
            .and_then(|ms| ms.checked_add(i64::from(self.subsecond_nanos / 1_000_000)))
            .ok_or_else(|| DateTimeError::new("timestamp out of range for milliseconds"))
    }

    /// Parses a timestamp written in `format`.
    pub fn from_str(s: &str, format: Format) -> Result<Self, DateTimeError> {
        match format {
            Format::DateTime => parse_rfc3339(s),
            Format::HttpDate => parse_http_date(s),
            Format::EpochSeconds => parse_epoch_seconds(s),
        }
    }

    /// Writes the timestamp in `format`. Calendar formats need a year
    /// between 1 and 9999.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeError> {
        match format {
            Format::EpochSeconds => Ok(self.epoch_seconds_string()),
            Format::DateTime => {
                let c = self.civil()?;
                let mut out = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    c.year, c.month, c.day, c.hour, c.minute, c.second
                );
                push_fraction(&mut out, self.subsecond_nanos);
                out.push('Z');
                Ok(out)
            }
            Format::HttpDate => {
                let c = self.civil()?;
                let mut out = format!(
                    "{}, {:02} {} {:04} {:02}:{:02}:{:02}",
                    WEEKDAYS[c.weekday as usize],
                    c.day,
                    MONTHS[c.month as usize - 1],
                    c.year,
                    c.hour,
                    c.minute,
                    c.second
                );
                push_fraction(
                    &mut out,
                    self.subsecond_nanos - self.subsecond_nanos % 1_000_000,
                );
                out.push_str(" GMT");
                Ok(out)
            }
        }
    }

    fn epoch_seconds_string(&self) -> String {
        if self.subsecond_nanos == 0 {
            return self.seconds.to_string();
        }
        // Exact decimal: seconds and nanoseconds, negative instants included.
        let (whole, frac) = if self.seconds < 0 {
            (self.seconds + 1, NANOS_PER_SEC - self.subsecond_nanos)
        } else {
            (self.seconds, self.subsecond_nanos)
        };
        let sign = if self.seconds < 0 && whole == 0 {
            "-"
        } else {
            ""
        };
        let mut out = format!("{sign}{whole}");
        push_fraction(&mut out, frac);
        out
    }

    fn civil(&self) -> Result<Civil, DateTimeError> {
        let days = self.seconds.div_euclid(86_400);
        let secs_of_day = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        if !(1..=9999).contains(&year) {
            return Err(DateTimeError::new(format!(
                "year {year} cannot be written as a calendar date"
            )));
        }
        Ok(Civil {
            year,
            month,
            day,
            hour: (secs_of_day / 3600) as u32,
            minute: (secs_of_day / 60 % 60) as u32,
            second: (secs_of_day % 60) as u32,
            // 1970-01-01 was a Thursday (index 4 with Sunday = 0).
            weekday: (days + 4).rem_euclid(7) as u32,
        })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match DateTime::fmt(self, Format::DateTime) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}s", self.epoch_seconds_string()),
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(d) => Self::from_secs_and_nanos(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let nanos = -(d.as_nanos() as i128);
                Self::from_nanos(nanos).unwrap_or(Self::from_secs(i64::MIN))
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    fn try_from(value: DateTime) -> Result<Self, Self::Error> {
        let out_of_range = || DateTimeError::new("timestamp out of range for SystemTime");
        if value.seconds >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::new(value.seconds as u64, value.subsecond_nanos))
                .ok_or_else(out_of_range)
        } else {
            let back = Duration::new(value.seconds.unsigned_abs(), 0);
            UNIX_EPOCH
                .checked_sub(back)
                .and_then(|t| t.checked_add(Duration::new(0, value.subsecond_nanos)))
                .ok_or_else(out_of_range)
        }
    }
}

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: u32,
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn push_fraction(out: &mut String, nanos: u32) {
    if nanos == 0 {
        return;
    }
    let digits = format!("{nanos:09}");
    out.push('.');
    out.push_str(digits.trim_end_matches('0'));
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A proleptic Gregorian date to days since 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A small cursor over ASCII text for the timestamp parsers.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
    input: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str) -> Self {
        Self {
            s: input.as_bytes(),
            pos: 0,
            input,
        }
    }

    fn fail(&self, what: &str) -> DateTimeError {
        DateTimeError::new(format!(
            "invalid timestamp {:?}: {what} at byte {}",
            self.input, self.pos
        ))
    }

    fn digits(&mut self, n: usize, what: &str) -> Result<u32, DateTimeError> {
        let end = self.pos + n;
        let bytes = self.s.get(self.pos..end).ok_or_else(|| self.fail(what))?;
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(self.fail(what));
        }
        self.pos = end;
        Ok(bytes
            .iter()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), DateTimeError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self
            .s
            .get(self.pos)
            .is_some_and(|b| b.eq_ignore_ascii_case(&byte))
        {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Optional `.fraction`: up to nine digits are kept, more are truncated.
    fn fraction(&mut self) -> Result<u32, DateTimeError> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.fail("expected fractional digits"));
        }
        let mut nanos = 0u32;
        for i in 0..9 {
            let digit = self.s.get(start + i).filter(|_| start + i < self.pos);
            nanos = nanos * 10 + digit.map_or(0, |b| u32::from(b - b'0'));
        }
        Ok(nanos)
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a str, DateTimeError> {
        let end = self.pos + n;
        let out = self
            .input
            .get(self.pos..end)
            .ok_or_else(|| self.fail(what))?;
        self.pos = end;
        Ok(out)
    }

    fn done(&self) -> Result<(), DateTimeError> {
        if self.pos == self.s.len() {
            Ok(())
        } else {
            Err(self.fail("unexpected trailing text"))
        }
    }
}

fn build(
    c: &Cursor<'_>,
    date: (i64, u32, u32),
    time: (u32, u32, u32),
    nanos: u32,
) -> Result<DateTime, DateTimeError> {
    let (year, month, day) = date;
    let (hour, minute, second) = time;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(c.fail("date out of range"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(c.fail("time out of range"));
    }
    let secs = days_from_civil(year, month, day) * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second);
    Ok(DateTime::from_secs_and_nanos(secs, nanos))
}

fn parse_rfc3339(s: &str) -> Result<DateTime, DateTimeError> {
    let mut c = Cursor::new(s);
    let year = c.digits(4, "expected a four-digit year")?;
    c.expect(b'-', "expected '-'")?;
    let month = c.digits(2, "expected a two-digit month")?;
    c.expect(b'-', "expected '-'")?;
    let day = c.digits(2, "expected a two-digit day")?;
    c.expect(b'T', "expected 'T'")?;
    let hour = c.digits(2, "expected a two-digit hour")?;
    c.expect(b':', "expected ':'")?;
    let minute = c.digits(2, "expected two-digit minutes")?;
    c.expect(b':', "expected ':'")?;
    let second = c.digits(2, "expected two-digit seconds")?;
    let nanos = c.fraction()?;
    let offset_secs: i64 = if c.eat(b'Z') {
        0
    } else {
        let sign = if c.eat(b'+') {
            1
        } else if c.eat(b'-') {
            -1
        } else {
            return Err(c.fail("expected 'Z' or a UTC offset"));
        };
        let oh = c.digits(2, "expected offset hours")?;
        c.expect(b':', "expected ':' in offset")?;
        let om = c.digits(2, "expected offset minutes")?;
        if oh > 23 || om > 59 {
            return Err(c.fail("offset out of range"));
        }
        sign * i64::from(oh * 3600 + om * 60)
    };
    c.done()?;
    let local = build(
        &c,
        (i64::from(year), month, day),
        (hour, minute, second),
        nanos,
    )?;
    Ok(DateTime::from_secs_and_nanos(
        local.secs() - offset_secs,
        local.subsec_nanos(),
    ))
}

fn parse_http_date(s: &str) -> Result<DateTime, DateTimeError> {
    let mut c = Cursor::new(s);
    let weekday = c.take(3, "expected a weekday")?;
    if !WEEKDAYS.contains(&weekday) {
        return Err(c.fail("unknown weekday"));
    }
    c.expect(b',', "expected ','")?;
    c.expect(b' ', "expected ' '")?;
    let day = c.digits(2, "expected a two-digit day")?;
    c.expect(b' ', "expected ' '")?;
    let month_name = c.take(3, "expected a month")?;
    let month = MONTHS
        .iter()
        .position(|m| *m == month_name)
        .ok_or_else(|| c.fail("unknown month"))? as u32
        + 1;
    c.expect(b' ', "expected ' '")?;
    let year = c.digits(4, "expected a four-digit year")?;
    c.expect(b' ', "expected ' '")?;
    let hour = c.digits(2, "expected a two-digit hour")?;
    c.expect(b':', "expected ':'")?;
    let minute = c.digits(2, "expected two-digit minutes")?;
    c.expect(b':', "expected ':'")?;
    let second = c.digits(2, "expected two-digit seconds")?;
    let nanos = c.fraction()?;
    for b in b" GMT" {
        c.expect(*b, "expected ' GMT'")?;
    }
    c.done()?;
    build(
        &c,
        (i64::from(year), month, day),
        (hour, minute, second),
        nanos,
    )
}

fn parse_epoch_seconds(s: &str) -> Result<DateTime, DateTimeError> {
    let bad = || DateTimeError::new(format!("invalid epoch-seconds timestamp {s:?}"));
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (digits.contains('.') && frac.is_empty()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let mut nanos = 0u32;
    for i in 0..9 {
        nanos = nanos * 10 + frac.as_bytes().get(i).map_or(0, |b| u32::from(b - b'0'));
    }
    if !negative {
        return Ok(DateTime::from_secs_and_nanos(whole, nanos));
    }
    if nanos == 0 {
        Ok(DateTime::from_secs(-whole))
    } else {
        Ok(DateTime::from_secs_and_nanos(
            -whole - 1,
            NANOS_PER_SEC - nanos,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let t = DateTime::from_secs_and_nanos(1_398_796_238, 120_000_000);
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "2014-04-29T18:30:38.12Z");
        assert_eq!(
            t.fmt(Format::HttpDate).unwrap(),
            "Tue, 29 Apr 2014 18:30:38.12 GMT"
        );
        assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), "1398796238.12");
        for f in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
            let s = t.fmt(f).unwrap();
            assert_eq!(DateTime::from_str(&s, f).unwrap(), t, "{s}");
        }
        let whole = DateTime::from_secs(1_398_796_238);
        assert_eq!(
            whole.fmt(Format::HttpDate).unwrap(),
            "Tue, 29 Apr 2014 18:30:38 GMT"
        );
        assert_eq!(whole.fmt(Format::DateTime).unwrap(), "2014-04-29T18:30:38Z");
    }

    #[test]
    fn negative_instants() {
        let t = DateTime::from_millis(-1500);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(t.as_secs_f64(), -1.5);
        assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), "-1.5");
        assert_eq!(DateTime::from_str("-1.5", Format::EpochSeconds).unwrap(), t);
        assert_eq!(
            DateTime::from_millis(-500)
                .fmt(Format::EpochSeconds)
                .unwrap(),
            "-0.5"
        );
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "1969-12-31T23:59:58.5Z");
        assert_eq!(DateTime::from_secs_f64(-1.5), t);
        assert_eq!(t.to_millis().unwrap(), -1500);
    }

    #[test]
    fn wire_f64_keeps_milliseconds() {
        let t = DateTime::from_wire_f64(1_515_531_081.123);
        assert_eq!(t, DateTime::from_millis(1_515_531_081_123));
    }

    #[test]
    fn offsets_and_errors() {
        let t = DateTime::from_str("2014-04-29T20:30:38+02:00", Format::DateTime).unwrap();
        assert_eq!(t, DateTime::from_secs(1_398_796_238));
        for bad in [
            "2014-02-30T00:00:00Z",
            "2014-04-29 18:30:38Z",
            "2014-04-29T18:30:38",
            "2014-04-29T24:00:00Z",
            "",
        ] {
            assert!(DateTime::from_str(bad, Format::DateTime).is_err(), "{bad}");
        }
        assert!(DateTime::from_str("Tue, 29 Foo 2014 18:30:38 GMT", Format::HttpDate).is_err());
        assert!(DateTime::from_str("1.", Format::EpochSeconds).is_err());
        assert!(DateTime::from_secs(i64::MAX).fmt(Format::DateTime).is_err());
    }

    #[test]
    fn system_time() {
        let t = DateTime::from_millis(-1500);
        let st = SystemTime::try_from(t).unwrap();
        assert_eq!(DateTime::from(st), t);
    }
}
