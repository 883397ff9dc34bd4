//! CSV export of a queue view, streamed: rows go from a database cursor through a
//! small bounded channel to the response, so memory stays flat for any size.
use super::fields::{display_value, repo::load_catalog};
use super::model::TicketFilter;
use super::repo;
use crate::audit::repo::{record, Actor};
use crate::auth::model::CurrentUser;
use futures::StreamExt;
use sqlx::PgPool;
use tokio::sync::mpsc;

/// The fixed columns; one column per active custom field follows them.
pub const HEADER: [&str; 15] = [
    "number",
    "title",
    "status",
    "priority",
    "requester",
    "requester_email",
    "assignee",
    "team",
    "tags",
    "category",
    "urgency",
    "impact",
    "due_at",
    "created_at",
    "updated_at",
];

/// Spreadsheets run cells starting with these as formulas; such cells get a quote.
pub fn defuse(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// Audits the export, then writes the CSV in chunks of 500 rows to `out`.
/// Stops early when the receiver goes away (the download was cancelled).
pub async fn stream_csv(
    db: PgPool,
    user: CurrentUser,
    filter: TicketFilter,
    out: mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
) -> anyhow::Result<()> {
    let doc = serde_json::to_value(&filter)?;
    record(&db, &Actor::user(&user), "ticket.export", "ticket", "csv", None, Some(&doc)).await?;
    let catalog = load_catalog(&db).await?;
    let custom: Vec<_> = catalog.active_fields().cloned().collect();
    let mut query = repo::export_query(&repo::ListArgs { filter: &filter, me: user.id, limit: 0 });
    let mut rows = query.build_query_as::<repo::ExportRow>().fetch(&db);
    let writer = || csv::Writer::from_writer(Vec::with_capacity(64 * 1024));
    let mut w = writer();
    let header: Vec<String> =
        HEADER.iter().map(|h| h.to_string()).chain(custom.iter().map(|f| defuse(&f.label).into_owned())).collect();
    w.write_record(&header)?;
    let mut in_chunk = 0;
    while let Some(row) = rows.next().await {
        let r = match row {
            Ok(r) => r,
            Err(e) => {
                let _ = out.send(Err(std::io::Error::other("export failed"))).await;
                return Err(e.into());
            }
        };
        let category = r.category_id.and_then(|c| catalog.category_path(c)).unwrap_or_default();
        let fixed = [
            r.number.to_string(),
            defuse(&r.title).into_owned(),
            r.status_name,
            r.priority.short().to_string(),
            defuse(&r.requester_name).into_owned(),
            r.requester_email,
            defuse(r.assignee_name.as_deref().unwrap_or("")).into_owned(),
            defuse(r.team_name.as_deref().unwrap_or("")).into_owned(),
            r.tags.join(" "),
            defuse(&category).into_owned(),
            r.urgency.label().to_string(),
            r.impact.label().to_string(),
            r.due_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
            r.created_at.to_rfc3339(),
            r.updated_at.to_rfc3339(),
        ];
        let values = custom.iter().map(|f| defuse(&display_value(&r.custom_fields[&f.key])).into_owned());
        w.write_record(fixed.into_iter().chain(values))?;
        in_chunk += 1;
        if in_chunk == 500 {
            in_chunk = 0;
            let chunk = std::mem::replace(&mut w, writer()).into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
            if out.send(Ok(chunk)).await.is_err() {
                return Ok(());
            }
        }
    }
    w.flush()?;
    let rest = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    if !rest.is_empty() {
        let _ = out.send(Ok(rest)).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formula_like_cells_are_quoted_and_others_kept() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("Printer on floor 2"), "Printer on floor 2");
        assert_eq!(defuse(""), "");
    }
}
