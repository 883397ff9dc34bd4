//! Pure vault logic: reasons, expiry badges, the password generator, dates.
use super::model::{ExpiryState, PasswordOptions, MIN_REASON};

/// Days before a date at which it is flagged.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

pub fn expiry_state(expires_on: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> ExpiryState {
    match expires_on {
        None => ExpiryState::Ok,
        Some(d) if d <= today => ExpiryState::Due,
        Some(d) if (d - today).num_days() <= EXPIRY_WARNING_DAYS => ExpiryState::Soon,
        Some(_) => ExpiryState::Ok,
    }
}

/// A reveal reason, trimmed; refused when shorter than MIN_REASON characters.
pub fn check_reason(reason: &str) -> Result<String, String> {
    let r = reason.trim();
    if r.chars().count() < MIN_REASON {
        return Err(format!("Say why you need the secret (at least {MIN_REASON} characters)."));
    }
    if r.chars().count() > 500 || r.chars().any(char::is_control) {
        return Err("Keep the reason to one line of at most 500 characters.".into());
    }
    Ok(r.to_string())
}

/// `YYYY-MM-DD`, or empty for none.
pub fn parse_date(field: &str, s: &str) -> Result<Option<chrono::NaiveDate>, (String, String)> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| (field.to_string(), "Use a date like 2027-03-31.".to_string()))
}

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const SYMBOLS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const AMBIGUOUS: &str = "0Oo1lI|`'\"";

pub const MIN_PASSWORD: u32 = 8;
pub const MAX_PASSWORD: u32 = 128;

/// The character classes the options ask for (ambiguous ones removed if asked).
fn classes(o: &PasswordOptions) -> Vec<Vec<char>> {
    [(o.lower, LOWER), (o.upper, UPPER), (o.digits, DIGITS), (o.symbols, SYMBOLS)]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, set)| set.chars().filter(|c| !(o.avoid_ambiguous && AMBIGUOUS.contains(*c))).collect())
        .collect()
}

pub fn check_options(o: &PasswordOptions) -> Result<(), (String, String)> {
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&o.length) {
        return Err(("length".into(), format!("Choose a length from {MIN_PASSWORD} to {MAX_PASSWORD}.")));
    }
    if !(o.lower || o.upper || o.digits || o.symbols) {
        return Err(("classes".into(), "Choose at least one kind of character.".into()));
    }
    Ok(())
}

/// A uniformly random index below `n` (rejection sampling, no modulo bias).
fn below(rng: &mut impl FnMut() -> u32, n: usize) -> usize {
    let n = n as u32;
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let x = rng();
        if x < zone {
            return (x % n) as usize;
        }
    }
}

/// Generates a password with at least one character of every chosen class.
/// `rng` yields uniformly random u32s (the server passes OsRng).
pub fn generate_password(o: &PasswordOptions, mut rng: impl FnMut() -> u32) -> Result<String, (String, String)> {
    check_options(o)?;
    let classes = classes(o);
    let all: Vec<char> = classes.iter().flatten().copied().collect();
    let mut out: Vec<char> = classes.iter().map(|c| c[below(&mut rng, c.len())]).collect();
    while out.len() < o.length as usize {
        out.push(all[below(&mut rng, all.len())]);
    }
    // Fisher-Yates, so the guaranteed characters are not always first.
    for i in (1..out.len()).rev() {
        let j = below(&mut rng, i + 1);
        out.swap(i, j);
    }
    Ok(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter() -> impl FnMut() -> u32 {
        let mut s: u64 = 0x9E3779B97F4A7C15;
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 32) as u32
        }
    }

    #[test]
    fn generated_passwords_respect_length_classes_and_ambiguity() {
        for len in [8u32, 9, 20, 128] {
            let o = PasswordOptions { length: len, ..Default::default() };
            let p = generate_password(&o, counter()).unwrap();
            assert_eq!(p.chars().count(), len as usize);
            assert!(p.chars().any(|c| c.is_ascii_lowercase()));
            assert!(p.chars().any(|c| c.is_ascii_uppercase()));
            assert!(p.chars().any(|c| c.is_ascii_digit()));
            assert!(p.chars().any(|c| SYMBOLS.contains(c)));
            assert!(!p.chars().any(|c| AMBIGUOUS.contains(c)), "{p}");
        }
        let digits = PasswordOptions {
            length: 12,
            lower: false,
            upper: false,
            digits: true,
            symbols: false,
            avoid_ambiguous: false,
        };
        assert!(generate_password(&digits, counter()).unwrap().chars().all(|c| c.is_ascii_digit()));
        assert_eq!(
            generate_password(&PasswordOptions { length: 7, ..Default::default() }, counter()).unwrap_err().0,
            "length"
        );
        assert_eq!(
            generate_password(&PasswordOptions { length: 129, ..Default::default() }, counter()).unwrap_err().0,
            "length"
        );
        let none = PasswordOptions { lower: false, upper: false, digits: false, symbols: false, ..Default::default() };
        assert_eq!(generate_password(&none, counter()).unwrap_err().0, "classes");
    }

    #[test]
    fn expiry_badges_and_reasons() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(expiry_state(None, today), ExpiryState::Ok);
        assert_eq!(expiry_state(Some(today), today), ExpiryState::Due);
        assert_eq!(expiry_state(today.checked_add_days(chrono::Days::new(30)), today), ExpiryState::Soon);
        assert_eq!(expiry_state(today.checked_add_days(chrono::Days::new(31)), today), ExpiryState::Ok);
        assert_eq!(expiry_state(today.checked_sub_days(chrono::Days::new(3)), today), ExpiryState::Due);
        assert!(check_reason("  short ").is_err());
        assert_eq!(check_reason("  reset the router  ").unwrap(), "reset the router");
        assert!(parse_date("expires_on", "31/03/2027").is_err());
        assert_eq!(parse_date("expires_on", "").unwrap(), None);
    }
}
