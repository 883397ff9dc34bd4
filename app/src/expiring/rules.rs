//! Which alert threshold an end date has reached.
use super::model::ExpirySettings;
use crate::error::AppError;

/// The smallest threshold `days_left` has reached, if any: at 20 days with
/// thresholds 30/14/7 that is 30; at 5 days it is 7. Each threshold alerts once,
/// so a job that missed days still sends only the most urgent alert.
pub fn reached(days_left: i64, thresholds: &[i64]) -> Option<i64> {
    thresholds.iter().copied().filter(|t| days_left <= *t).min()
}

/// Sorts, de-duplicates and checks the settings.
pub fn normalise(mut s: ExpirySettings) -> Result<ExpirySettings, AppError> {
    s.thresholds.sort_unstable_by(|a, b| b.cmp(a));
    s.thresholds.dedup();
    if s.thresholds.is_empty() || s.thresholds.len() > 10 || s.thresholds.iter().any(|t| !(0..=365).contains(t)) {
        return Err(AppError::field("thresholds", "Give between one and ten thresholds, each from 0 to 365 days."));
    }
    s.recipients = s.recipients.iter().map(|r| r.trim().to_lowercase()).filter(|r| !r.is_empty()).collect();
    s.recipients.sort();
    s.recipients.dedup();
    if let Some(bad) = s.recipients.iter().find(|r| !r.contains('@') || r.len() > 254) {
        return Err(AppError::field("recipients", format!("\"{bad}\" is not an email address.")));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_urgent_reached_threshold_wins() {
        let t = [30, 14, 7];
        assert_eq!(reached(45, &t), None);
        assert_eq!(reached(30, &t), Some(30));
        assert_eq!(reached(20, &t), Some(30));
        assert_eq!(reached(14, &t), Some(14));
        assert_eq!(reached(5, &t), Some(7));
        assert_eq!(reached(-3, &t), Some(7));
    }

    #[test]
    fn settings_are_checked() {
        let ok =
            normalise(ExpirySettings { thresholds: vec![7, 30, 7, 14], recipients: vec![" A@x.io ".into()] }).unwrap();
        assert_eq!(ok.thresholds, vec![30, 14, 7]);
        assert_eq!(ok.recipients, vec!["a@x.io".to_string()]);
        assert!(normalise(ExpirySettings { thresholds: vec![], recipients: vec![] }).is_err());
        assert!(normalise(ExpirySettings { thresholds: vec![400], recipients: vec![] }).is_err());
        assert!(normalise(ExpirySettings { thresholds: vec![7], recipients: vec!["nobody".into()] }).is_err());
    }
}
