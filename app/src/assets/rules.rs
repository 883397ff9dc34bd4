//! Pure checks for asset input, shared by the form, the API and the CSV importer.
use super::model::AssetInput;
use crate::error::AppError;
use std::collections::BTreeMap;

const MAX_CUSTOM_FIELDS: usize = 50;

fn limit(fields: &mut BTreeMap<String, String>, name: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        fields.insert(name.into(), format!("At most {max} characters."));
    }
}

/// Trims the text fields and checks every limit; all problems are reported at once.
pub fn normalise(mut a: AssetInput) -> Result<AssetInput, AppError> {
    for s in [&mut a.name, &mut a.tag, &mut a.serial, &mut a.make, &mut a.model, &mut a.os, &mut a.os_version] {
        *s = s.trim().to_string();
    }
    let mut fields = BTreeMap::new();
    if a.name.is_empty() {
        fields.insert("name".into(), "Give the asset a name.".into());
    }
    limit(&mut fields, "name", &a.name, 200);
    limit(&mut fields, "tag", &a.tag, 100);
    limit(&mut fields, "serial", &a.serial, 100);
    for (f, v) in [("make", &a.make), ("model", &a.model), ("os", &a.os), ("os_version", &a.os_version)] {
        limit(&mut fields, f, v, 100);
    }
    limit(&mut fields, "notes", &a.notes, 20_000);
    if a.purchase_cost_cents.is_some_and(|c| c < 0) {
        fields.insert("purchase_cost".into(), "The cost cannot be negative.".into());
    }
    if let (Some(p), Some(w)) = (a.purchased_on, a.warranty_expires_on) {
        if w < p {
            fields.insert("warranty_expires_on".into(), "The warranty cannot end before the purchase date.".into());
        }
    }
    let custom = std::mem::take(&mut a.custom_fields);
    if custom.len() > MAX_CUSTOM_FIELDS {
        fields.insert("custom_fields".into(), format!("At most {MAX_CUSTOM_FIELDS} custom fields."));
    }
    for (k, v) in custom {
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if k.is_empty() && v.is_empty() {
            continue;
        }
        if k.is_empty() || k.chars().count() > 100 || v.chars().count() > 1000 {
            fields.insert(
                "custom_fields".into(),
                "Custom fields need a label (≤ 100 characters) and a value of at most 1,000 characters.".into(),
            );
        }
        a.custom_fields.insert(k, v);
    }
    if fields.is_empty() {
        Ok(a)
    } else {
        let message = if fields.len() == 1 {
            fields.values().next().cloned().unwrap_or_default()
        } else {
            "Some fields need attention.".to_string()
        };
        Err(AppError::Validation { message, fields })
    }
}

/// Parses money text ("1234.5", "1,234.50", "€ 99") into cents.
pub fn parse_cents(s: &str) -> Option<i64> {
    let cleaned: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    if cleaned.is_empty() || cleaned.matches('.').count() > 1 || s.contains('-') {
        return None;
    }
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if frac.len() > 2 || whole.len() > 12 {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(whole * 100 + frac)
}

/// Cents as "1234.50".
pub fn fmt_cents(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

/// Dates as the importer accepts them: ISO (2026-11-26), or day/month/year with `/`
/// or `.` is refused as ambiguous.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{}\" is not a date; use YYYY-MM-DD.", s.trim()))
}

/// The fields that differ between two saved versions, as display text, for the
/// history panel and the audit log.
pub fn changes(old: &super::model::Asset, new: &super::model::Asset) -> BTreeMap<String, (String, String)> {
    fn opt<T: ToString>(v: &Option<T>) -> String {
        v.as_ref().map(|v| v.to_string()).unwrap_or_default()
    }
    let (o, n) = (&old.input, &new.input);
    let pairs: [(&str, String, String); 17] = [
        ("name", o.name.clone(), n.name.clone()),
        ("type", o.asset_type.label().into(), n.asset_type.label().into()),
        ("status", o.status.label().into(), n.status.label().into()),
        ("tag", o.tag.clone(), n.tag.clone()),
        ("serial", o.serial.clone(), n.serial.clone()),
        ("make", o.make.clone(), n.make.clone()),
        ("model", o.model.clone(), n.model.clone()),
        ("os", o.os.clone(), n.os.clone()),
        ("os_version", o.os_version.clone(), n.os_version.clone()),
        ("assigned_to", opt(&old.assigned_name), opt(&new.assigned_name)),
        ("location", opt(&old.location_name), opt(&new.location_name)),
        ("vendor", opt(&old.vendor_name), opt(&new.vendor_name)),
        ("purchase_date", opt(&o.purchased_on), opt(&n.purchased_on)),
        (
            "purchase_cost",
            o.purchase_cost_cents.map(fmt_cents).unwrap_or_default(),
            n.purchase_cost_cents.map(fmt_cents).unwrap_or_default(),
        ),
        ("warranty_expires", opt(&o.warranty_expires_on), opt(&n.warranty_expires_on)),
        (
            "notes",
            if o.notes.is_empty() { String::new() } else { "…".into() },
            if n.notes == o.notes {
                if n.notes.is_empty() {
                    String::new()
                } else {
                    "…".into()
                }
            } else {
                "(changed)".into()
            },
        ),
        (
            "custom_fields",
            serde_json::to_string(&o.custom_fields).unwrap_or_default(),
            serde_json::to_string(&n.custom_fields).unwrap_or_default(),
        ),
    ];
    pairs.into_iter().filter(|(_, a, b)| a != b).map(|(k, a, b)| (k.to_string(), (a, b))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_parses_to_cents_and_refuses_nonsense() {
        assert_eq!(parse_cents("1234.5"), Some(123_450));
        assert_eq!(parse_cents("1,234.56"), Some(123_456));
        assert_eq!(parse_cents("€ 99"), Some(9_900));
        assert_eq!(parse_cents("-5"), None);
        assert_eq!(parse_cents("1.2.3"), None);
        assert_eq!(parse_cents("0.123"), None);
        assert_eq!(parse_cents("abc"), None);
        assert_eq!(fmt_cents(123_450), "1234.50");
    }

    #[test]
    fn input_is_trimmed_and_every_problem_is_named() {
        let ok =
            normalise(AssetInput { name: "  MacBook  ".into(), tag: " A-1 ".into(), ..Default::default() }).unwrap();
        assert_eq!((ok.name.as_str(), ok.tag.as_str()), ("MacBook", "A-1"));
        let bad = AssetInput {
            name: " ".into(),
            purchased_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 2),
            warranty_expires_on: chrono::NaiveDate::from_ymd_opt(2025, 1, 2),
            ..Default::default()
        };
        match normalise(bad) {
            Err(AppError::Validation { fields, .. }) => {
                assert!(fields.contains_key("name"));
                assert!(fields.contains_key("warranty_expires_on"));
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn dates_must_be_iso() {
        assert!(parse_date("2026-11-26").is_ok());
        assert!(parse_date("26/11/2026").is_err());
    }
}
