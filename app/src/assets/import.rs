//! CSV import of assets in two steps. Upload: the file is read row by row from
//! disk, each row is checked and staged in `asset_import_rows` (batches of
//! 1,000, so memory stays flat), then the database checks what needs every row
//! (duplicate tags, unknown people). Commit: only an import without errors is
//! written, in one transaction. Nothing touches `assets` before the commit.
use super::model::*;
use super::rules;
use crate::audit::repo::{record, Actor};
use crate::auth::model::CurrentUser;
use crate::error::{AppError, AppResult};
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Col {
    Name,
    Type,
    Status,
    Tag,
    Serial,
    Make,
    Model,
    Os,
    OsVersion,
    AssignedTo,
    Location,
    Vendor,
    PurchaseDate,
    PurchaseCost,
    WarrantyExpires,
    Notes,
    /// Written by the export (`EXPORT_ONLY_COLUMNS`), read and ignored.
    Ignored(&'static str),
}

fn column(header: &str) -> Option<Col> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase().replace([' ', '-'], "_");
    Some(match h.as_str() {
        "name" | "asset_name" => Col::Name,
        "type" | "asset_type" => Col::Type,
        "status" => Col::Status,
        "tag" | "asset_tag" => Col::Tag,
        "serial" | "serial_number" => Col::Serial,
        "make" | "manufacturer" => Col::Make,
        "model" => Col::Model,
        "os" => Col::Os,
        "os_version" => Col::OsVersion,
        "assigned_to" | "assigned_email" | "user" => Col::AssignedTo,
        "location" => Col::Location,
        "vendor" => Col::Vendor,
        "purchase_date" | "purchased_on" => Col::PurchaseDate,
        "purchase_cost" | "cost" => Col::PurchaseCost,
        "warranty_expires" | "warranty_expires_on" | "warranty" => Col::WarrantyExpires,
        "notes" => Col::Notes,
        other => return EXPORT_ONLY_COLUMNS.iter().find(|c| **c == other).map(|c| Col::Ignored(c)),
    })
}

/// Maps each header to a column; unknown or repeated headers refuse the file.
fn columns(header: &csv::StringRecord) -> AppResult<Vec<Col>> {
    let mut cols = Vec::with_capacity(header.len());
    for h in header.iter() {
        let Some(c) = column(h) else {
            return Err(AppError::invalid(format!(
                "Unknown column \"{}\". The columns are: {}.",
                h.trim(),
                IMPORT_COLUMNS.join(", ")
            )));
        };
        if cols.contains(&c) {
            return Err(AppError::invalid(format!("The column \"{}\" appears twice.", h.trim())));
        }
        cols.push(c);
    }
    if !cols.contains(&Col::Name) {
        return Err(AppError::invalid("The file needs a \"name\" column."));
    }
    Ok(cols)
}

/// One staged row: typed where the row is valid, with its error otherwise.
#[derive(Default)]
pub struct Staged {
    pub row_no: i32,
    pub name: Option<String>,
    pub asset_type: Option<String>,
    pub status: Option<String>,
    pub tag: Option<String>,
    pub serial: Option<String>,
    pub make: String,
    pub model: String,
    pub os: String,
    pub os_version: String,
    pub assigned_email: Option<String>,
    pub location_name: Option<String>,
    pub vendor_name: Option<String>,
    pub purchased_on: Option<chrono::NaiveDate>,
    pub purchase_cost_cents: Option<i64>,
    pub warranty_expires_on: Option<chrono::NaiveDate>,
    pub notes: String,
    pub error: Option<String>,
}

fn stage_row(row_no: i32, cols: &[Col], rec: &csv::StringRecord) -> Staged {
    let mut input = AssetInput::default();
    let mut s = Staged { row_no, ..Default::default() };
    let mut errors: Vec<String> = Vec::new();
    let opt = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    for (c, v) in cols.iter().zip(rec.iter()) {
        match c {
            Col::Name => input.name = v.to_string(),
            Col::Type if !v.trim().is_empty() => match AssetType::parse(v) {
                Some(t) => input.asset_type = t,
                None => errors.push(format!("unknown type \"{}\"", v.trim())),
            },
            Col::Status if !v.trim().is_empty() => match AssetStatus::parse(v) {
                Some(t) => input.status = t,
                None => errors.push(format!("unknown status \"{}\"", v.trim())),
            },
            Col::Tag => input.tag = v.to_string(),
            Col::Serial => input.serial = v.to_string(),
            Col::Make => input.make = v.to_string(),
            Col::Model => input.model = v.to_string(),
            Col::Os => input.os = v.to_string(),
            Col::OsVersion => input.os_version = v.to_string(),
            Col::AssignedTo => s.assigned_email = opt(v).map(|e| e.to_lowercase()),
            Col::Location => s.location_name = opt(v),
            Col::Vendor => s.vendor_name = opt(v),
            Col::PurchaseDate if !v.trim().is_empty() => match rules::parse_date(v) {
                Ok(d) => input.purchased_on = Some(d),
                Err(e) => errors.push(format!("purchase_date: {e}")),
            },
            Col::PurchaseCost if !v.trim().is_empty() => match rules::parse_cents(v) {
                Some(c) => input.purchase_cost_cents = Some(c),
                None => errors.push(format!("purchase_cost: \"{}\" is not an amount", v.trim())),
            },
            Col::WarrantyExpires if !v.trim().is_empty() => match rules::parse_date(v) {
                Ok(d) => input.warranty_expires_on = Some(d),
                Err(e) => errors.push(format!("warranty_expires: {e}")),
            },
            Col::Notes => input.notes = v.to_string(),
            _ => {}
        }
    }
    for (what, v) in [("location", &s.location_name), ("vendor", &s.vendor_name)] {
        if v.as_ref().is_some_and(|v| v.chars().count() > 200) {
            errors.push(format!("{what}: at most 200 characters"));
        }
    }
    match rules::normalise(input) {
        Ok(a) => {
            s.name = Some(a.name);
            s.asset_type = Some(a.asset_type.as_str().into());
            s.status = Some(a.status.as_str().into());
            s.tag = Some(a.tag).filter(|t| !t.is_empty());
            s.serial = Some(a.serial).filter(|t| !t.is_empty());
            s.make = a.make;
            s.model = a.model;
            s.os = a.os;
            s.os_version = a.os_version;
            s.purchased_on = a.purchased_on;
            s.purchase_cost_cents = a.purchase_cost_cents;
            s.warranty_expires_on = a.warranty_expires_on;
            s.notes = a.notes;
        }
        Err(AppError::Validation { fields, .. }) => {
            errors.extend(fields.into_iter().map(|(f, m)| format!("{f}: {m}")));
        }
        Err(e) => errors.push(e.to_string()),
    }
    if !errors.is_empty() {
        s.error = Some(errors.join("; "));
    }
    s
}

/// Reads the CSV at `path`, stages every row and returns the preview.
pub async fn stage(
    db: &PgPool,
    user: &CurrentUser,
    file_name: &str,
    path: &std::path::Path,
) -> AppResult<ImportPreview> {
    let file = std::fs::File::open(path).map_err(|e| {
        tracing::error!(error = %e, "cannot reopen the uploaded CSV");
        AppError::Internal
    })?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(std::io::BufReader::new(file));
    let header = reader.headers().map_err(|e| AppError::invalid(format!("The file is not valid CSV: {e}")))?.clone();
    let cols = columns(&header)?;
    let import_id = super::repo_import::create(db, user.id, file_name).await?;
    let mut batch: Vec<Staged> = Vec::with_capacity(1000);
    let mut rec = csv::StringRecord::new();
    let mut rows = 0usize;
    loop {
        let more = match reader.read_record(&mut rec) {
            Ok(more) => more,
            Err(e) => {
                super::repo_import::drop(db, import_id).await?;
                return Err(AppError::invalid(format!("The file is not valid CSV: {e}")));
            }
        };
        if more {
            rows += 1;
            if rows > IMPORT_MAX_ROWS {
                super::repo_import::drop(db, import_id).await?;
                return Err(AppError::invalid(format!("A file may hold at most {IMPORT_MAX_ROWS} rows.")));
            }
            // Line numbers as a spreadsheet shows them: the header is line 1.
            let line = rec.position().map(|p| p.line() as i32).unwrap_or(rows as i32 + 1);
            let mut staged = stage_row(line, &cols, &rec);
            if rec.len() != cols.len() && staged.error.is_none() {
                staged.error = Some(format!("has {} cells, the header has {}", rec.len(), cols.len()));
            }
            batch.push(staged);
        }
        if batch.len() >= 1000 || (!more && !batch.is_empty()) {
            super::repo_import::insert_rows(db, import_id, &std::mem::take(&mut batch)).await?;
        }
        if !more {
            break;
        }
    }
    if rows == 0 {
        super::repo_import::drop(db, import_id).await?;
        return Err(AppError::invalid("The file has a header but no rows."));
    }
    super::repo_import::check_all(&mut *db.acquire().await?, import_id).await?;
    Ok(super::repo_import::preview(db, import_id).await?)
}

/// Writes a checked import; refused while it has errors or when it belongs to
/// someone else. Returns how many assets were created.
pub async fn commit(db: &PgPool, user: &CurrentUser, import_id: uuid::Uuid) -> AppResult<i64> {
    let mut tx = db.begin().await?;
    let Some((owner, file_name)) = super::repo_import::lock(&mut *tx, import_id).await? else {
        return Err(AppError::NotFound("Import".into()));
    };
    if owner != user.id {
        return Err(AppError::NotFound("Import".into()));
    }
    // Someone may have created a clashing tag since the preview: check again.
    let errors = super::repo_import::check_all(&mut tx, import_id).await?;
    if errors > 0 {
        tx.commit().await?;
        return Err(AppError::Conflict(format!(
            "{errors} rows have errors. Fix the file and upload it again; nothing was imported."
        )));
    }
    let created = super::repo_import::write(&mut tx, import_id, user.id).await?;
    let doc = serde_json::json!({ "file": file_name, "created": created });
    record(&mut *tx, &Actor::user(user), "asset.imported", "asset", &import_id.to_string(), None, Some(&doc)).await?;
    super::repo_import::drop(&mut *tx, import_id).await?;
    tx.commit().await?;
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn headers_map_by_name_and_alias_and_refuse_unknown_or_repeated_ones() {
        let cols = columns(&rec(&["Name", "Asset Tag", "serial-number", "Warranty"])).unwrap();
        assert_eq!(cols, vec![Col::Name, Col::Tag, Col::Serial, Col::WarrantyExpires]);
        assert!(columns(&rec(&["name", "colour"])).unwrap_err().to_string().contains("colour"));
        assert!(columns(&rec(&["name", "tag", "asset_tag"])).is_err());
        assert!(columns(&rec(&["tag"])).unwrap_err().to_string().contains("name"));
    }

    #[test]
    fn a_row_collects_every_problem() {
        let cols = columns(&rec(&["name", "type", "purchase_cost", "warranty_expires"])).unwrap();
        let ok = stage_row(2, &cols, &rec(&["ThinkPad", "Laptop", "1,299.00", "2027-01-31"]));
        assert_eq!(ok.error, None);
        assert_eq!((ok.asset_type.as_deref(), ok.purchase_cost_cents), (Some("laptop"), Some(129_900)));
        let bad = stage_row(3, &cols, &rec(&["", "toaster", "lots", "31/01/2027"]));
        let e = bad.error.unwrap();
        for needle in ["toaster", "lots", "YYYY-MM-DD", "name"] {
            assert!(e.contains(needle), "{e} should mention {needle}");
        }
    }
}
