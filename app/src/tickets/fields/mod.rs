//! How tickets are classified and what extra fields they carry: categories with one
//! level of subcategories, urgency and impact, and admin-defined custom fields
//! (text, number, date, select, multi-select, checkbox) validated by type and
//! required-ness. The same checks run in the browser (for instant feedback) and on
//! the server (the only ones that count).
pub mod api;
pub mod inputs;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct CategoryId(pub uuid::Uuid);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    /// Set on a subcategory.
    pub parent: Option<CategoryId>,
    pub name: String,
    pub position: i32,
    pub active: bool,
}

/// Urgency and impact, the two inputs of the priority matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "ticket_level", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    #[default]
    Medium,
    High,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Low, Level::Medium, Level::High];
    pub fn label(self) -> &'static str {
        match self {
            Level::Low => "Low",
            Level::Medium => "Medium",
            Level::High => "High",
        }
    }
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.label().eq_ignore_ascii_case(s))
    }
}

/// The usual ITIL matrix: the priority suggested for an urgency and an impact.
pub fn suggested_priority(urgency: Level, impact: Level) -> super::model::Priority {
    use super::model::Priority::*;
    use Level::*;
    match (urgency, impact) {
        (High, High) => P1,
        (High, Medium) | (Medium, High) => P2,
        (Medium, Medium) | (High, Low) | (Low, High) => P3,
        _ => P4,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "custom_field_kind", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    Number,
    Date,
    Select,
    MultiSelect,
    Checkbox,
}

impl FieldKind {
    pub const ALL: [FieldKind; 6] = [
        FieldKind::Text,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::Select,
        FieldKind::MultiSelect,
        FieldKind::Checkbox,
    ];
    pub fn label(self) -> &'static str {
        match self {
            FieldKind::Text => "Text",
            FieldKind::Number => "Number",
            FieldKind::Date => "Date",
            FieldKind::Select => "Select",
            FieldKind::MultiSelect => "Multi-select",
            FieldKind::Checkbox => "Checkbox",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Select => "select",
            FieldKind::MultiSelect => "multi_select",
            FieldKind::Checkbox => "checkbox",
        }
    }
    pub fn has_options(self) -> bool {
        matches!(self, FieldKind::Select | FieldKind::MultiSelect)
    }
}

/// A custom field as an admin defined it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CustomField {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub options: Vec<String>,
    pub required: bool,
    pub position: i32,
    pub active: bool,
}

/// Categories and custom fields, loaded once per page like the workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TicketCatalog {
    pub categories: Vec<Category>,
    pub fields: Vec<CustomField>,
}

impl TicketCatalog {
    /// "Hardware › Laptop", or the category's own name at the top level.
    pub fn category_path(&self, id: CategoryId) -> Option<String> {
        let c = self.categories.iter().find(|c| c.id == id)?;
        Some(match c.parent.and_then(|p| self.categories.iter().find(|x| x.id == p)) {
            Some(p) => format!("{} › {}", p.name, c.name),
            None => c.name.clone(),
        })
    }

    /// Active categories in menu order, each top-level one followed by its children.
    pub fn category_choices(&self) -> Vec<(CategoryId, String)> {
        let mut top: Vec<&Category> = self.categories.iter().filter(|c| c.parent.is_none() && c.active).collect();
        top.sort_by_key(|c| (c.position, c.name.clone()));
        let mut out = Vec::new();
        for t in top {
            out.push((t.id, t.name.clone()));
            let mut kids: Vec<&Category> =
                self.categories.iter().filter(|c| c.parent == Some(t.id) && c.active).collect();
            kids.sort_by_key(|c| (c.position, c.name.clone()));
            out.extend(kids.into_iter().map(|k| (k.id, format!("{} › {}", t.name, k.name))));
        }
        out
    }

    pub fn active_fields(&self) -> impl Iterator<Item = &CustomField> {
        self.fields.iter().filter(|f| f.active)
    }
}

/// A refused value: the field key and what is wrong.
pub type FieldError = (String, String);

const TEXT_MAX: usize = 2000;

/// Checks one value against its field; `Null` means "empty".
pub fn check_value(def: &CustomField, v: &Value) -> Result<Value, String> {
    let label = &def.label;
    let out = match (def.kind, v) {
        (_, Value::Null) => Value::Null,
        (FieldKind::Text, Value::String(s)) => {
            let s = s.trim();
            if s.chars().count() > TEXT_MAX {
                return Err(format!("{label}: keep it under {TEXT_MAX} characters."));
            }
            if s.is_empty() {
                Value::Null
            } else {
                Value::String(s.to_string())
            }
        }
        (FieldKind::Number, Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => Value::Number(n.clone()),
        (FieldKind::Number, Value::String(s)) if s.trim().is_empty() => Value::Null,
        (FieldKind::Number, Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null),
            _ => return Err(format!("{label}: \"{s}\" is not a number.")),
        },
        (FieldKind::Date, Value::String(s)) if s.trim().is_empty() => Value::Null,
        (FieldKind::Date, Value::String(s)) => match chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
            Ok(d) => Value::String(d.format("%Y-%m-%d").to_string()),
            Err(_) => return Err(format!("{label}: \"{s}\" is not a date (YYYY-MM-DD).")),
        },
        (FieldKind::Select, Value::String(s)) if s.is_empty() => Value::Null,
        (FieldKind::Select, Value::String(s)) => {
            if !def.options.contains(s) {
                return Err(format!("{label}: \"{s}\" is not one of the choices."));
            }
            Value::String(s.clone())
        }
        (FieldKind::MultiSelect, Value::Array(items)) => {
            let mut picked: Vec<String> = Vec::new();
            for i in items {
                let Some(s) = i.as_str() else {
                    return Err(format!("{label}: choices must be text."));
                };
                if !def.options.iter().any(|o| o == s) {
                    return Err(format!("{label}: \"{s}\" is not one of the choices."));
                }
                if !picked.iter().any(|p| p == s) {
                    picked.push(s.to_string());
                }
            }
            // Keep the admin's order, whatever order they were clicked in.
            picked.sort_by_key(|p| def.options.iter().position(|o| o == p));
            if picked.is_empty() {
                Value::Null
            } else {
                Value::Array(picked.into_iter().map(Value::String).collect())
            }
        }
        (FieldKind::Checkbox, Value::Bool(b)) => Value::Bool(*b),
        (kind, _) => return Err(format!("{label}: expected a {} value.", kind.label().to_lowercase())),
    };
    Ok(out)
}

/// Applies `changes` to `current` custom values. Unknown or inactive fields are
/// refused; `null` or an empty value clears a field; required fields must hold a
/// value when `enforce_required` (ticket creation by staff) and can never be
/// cleared. A checkbox counts as filled when it is ticked.
pub fn apply_values(
    defs: &[CustomField],
    current: &Map<String, Value>,
    changes: &Map<String, Value>,
    enforce_required: bool,
) -> Result<Map<String, Value>, FieldError> {
    let mut out = current.clone();
    for (key, v) in changes {
        let def = defs
            .iter()
            .find(|d| &d.key == key && d.active)
            .ok_or_else(|| (key.clone(), format!("There is no custom field \"{key}\".")))?;
        match check_value(def, v).map_err(|m| (key.clone(), m))? {
            Value::Null => {
                if def.required {
                    return Err((key.clone(), format!("{} is required.", def.label)));
                }
                out.remove(key);
            }
            v => {
                out.insert(key.clone(), v);
            }
        }
    }
    if enforce_required {
        for d in defs.iter().filter(|d| d.active && d.required) {
            let filled = match out.get(&d.key) {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => true,
            };
            if !filled {
                return Err((d.key.clone(), format!("{} is required.", d.label)));
            }
        }
    }
    Ok(out)
}

/// A value as people read it: "Yes", "2026-12-01", "Berlin, Paris".
pub fn display_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(true) => "Yes".into(),
        Value::Bool(false) => "No".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(display_value).collect::<Vec<_>>().join(", "),
        Value::Object(_) => String::new(),
    }
}

/// Checks an admin's field definition: key format, label, choices for selects.
pub fn check_definition(mut f: CustomField) -> Result<CustomField, FieldError> {
    f.key = f.key.trim().to_string();
    f.label = f.label.trim().to_string();
    let key_ok = f.key.len() <= 40
        && f.key.starts_with(|c: char| c.is_ascii_lowercase())
        && f.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !key_ok {
        return Err((
            "key".into(),
            "Use 1–40 lower-case letters, digits or _ for the key, starting with a letter.".into(),
        ));
    }
    if f.label.is_empty() || f.label.chars().count() > 80 {
        return Err(("label".into(), "Give the field a label of up to 80 characters.".into()));
    }
    let mut options: Vec<String> = Vec::new();
    for o in &f.options {
        let o = o.trim();
        if o.is_empty() {
            continue;
        }
        if o.chars().count() > 80 {
            return Err(("options".into(), "Keep each choice under 80 characters.".into()));
        }
        if options.iter().any(|x| x == o) {
            return Err(("options".into(), format!("\"{o}\" is listed twice.")));
        }
        options.push(o.to_string());
    }
    if f.kind.has_options() && options.is_empty() {
        return Err(("options".into(), "A select field needs at least one choice.".into()));
    }
    if options.len() > 100 {
        return Err(("options".into(), "Use at most 100 choices.".into()));
    }
    if !f.kind.has_options() {
        options.clear();
    }
    f.options = options;
    Ok(f)
}

/// Trims a category name and checks its length.
pub fn check_category_name(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 80 || s.chars().any(char::is_control) {
        return Err("Give the category a name of up to 80 characters.".into());
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defs() -> Vec<CustomField> {
        let f = |key: &str, kind, options: &[&str], required| CustomField {
            key: key.into(),
            label: key.to_uppercase(),
            kind,
            options: options.iter().map(|s| s.to_string()).collect(),
            required,
            position: 0,
            active: true,
        };
        vec![
            f("site", FieldKind::Select, &["Berlin", "Paris"], true),
            f("cost", FieldKind::Number, &[], false),
            f("when", FieldKind::Date, &[], false),
            f("os", FieldKind::MultiSelect, &["mac", "win", "linux"], false),
            f("vip", FieldKind::Checkbox, &[], false),
            f("note", FieldKind::Text, &[], false),
        ]
    }

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn values_are_checked_by_type_and_normalised() {
        let d = defs();
        let out = apply_values(
            &d,
            &Map::new(),
            &map(json!({"site": "Paris", "cost": "12.5", "when": "2026-12-01", "os": ["linux", "mac", "mac"], "vip": true, "note": "  hi "})),
            true,
        )
        .unwrap();
        assert_eq!(out["cost"], json!(12.5));
        assert_eq!(out["os"], json!(["mac", "linux"]));
        assert_eq!(out["note"], json!("hi"));
        for (k, v) in [
            ("site", json!("Rome")),
            ("cost", json!("twelve")),
            ("when", json!("01/12/2026")),
            ("os", json!(["bsd"])),
            ("vip", json!("yes")),
            ("nope", json!(1)),
        ] {
            let err = apply_values(&d, &map(json!({"site": "Paris"})), &map(json!({ k: v })), false).unwrap_err();
            assert_eq!(err.0, k, "{k} should be refused");
        }
    }

    #[test]
    fn required_fields_must_be_filled_at_creation_and_cannot_be_cleared() {
        let d = defs();
        assert_eq!(apply_values(&d, &Map::new(), &map(json!({"cost": 1})), true).unwrap_err().0, "site");
        // An existing ticket without the field may still be edited otherwise...
        assert!(apply_values(&d, &Map::new(), &map(json!({"cost": 1})), false).is_ok());
        // ...but nobody can clear a required value.
        let current = map(json!({"site": "Berlin"}));
        assert!(apply_values(&d, &current, &map(json!({"site": null})), false).is_err());
        assert!(apply_values(&d, &current, &map(json!({"site": ""})), false).is_err());
        // Clearing an optional one removes it.
        let out =
            apply_values(&d, &map(json!({"site": "Berlin", "cost": 3})), &map(json!({"cost": null})), false).unwrap();
        assert!(!out.contains_key("cost"));
    }

    #[test]
    fn inactive_fields_take_no_new_values() {
        let mut d = defs();
        d[1].active = false;
        assert!(apply_values(&d, &Map::new(), &map(json!({"cost": 1})), false).is_err());
    }

    #[test]
    fn definitions_need_a_good_key_and_choices_for_selects() {
        let ok = CustomField { key: "asset_tag".into(), label: " Asset tag ".into(), ..Default::default() };
        assert_eq!(check_definition(ok).unwrap().label, "Asset tag");
        let bad_key = CustomField { key: "Asset Tag".into(), label: "x".into(), ..Default::default() };
        assert_eq!(check_definition(bad_key).unwrap_err().0, "key");
        let no_choices =
            CustomField { key: "site".into(), label: "Site".into(), kind: FieldKind::Select, ..Default::default() };
        assert_eq!(check_definition(no_choices).unwrap_err().0, "options");
        let dup = CustomField {
            key: "site".into(),
            label: "Site".into(),
            kind: FieldKind::Select,
            options: vec!["A".into(), "A".into()],
            ..Default::default()
        };
        assert!(check_definition(dup).is_err());
    }

    #[test]
    fn the_priority_matrix_follows_urgency_and_impact() {
        use crate::tickets::model::Priority;
        assert_eq!(suggested_priority(Level::High, Level::High), Priority::P1);
        assert_eq!(suggested_priority(Level::Medium, Level::High), Priority::P2);
        assert_eq!(suggested_priority(Level::Medium, Level::Medium), Priority::P3);
        assert_eq!(suggested_priority(Level::Low, Level::Low), Priority::P4);
    }
}
