//! The CSV import dialog: choose a file, see the check's result, then commit.
use crate::assets::api::commit_import;
use crate::assets::model::{AssetStatus, AssetType, ImportPreview, IMPORT_COLUMNS};
use crate::error::AppError;
use crate::ui::*;
use leptos::prelude::*;

/// Sends the chosen file to `POST /assets/import` and returns the preview.
#[cfg(feature = "hydrate")]
async fn upload(file: web_sys::File) -> Result<ImportPreview, AppError> {
    let url = format!("/assets/import?name={}", urlencode(&file.name()));
    let (status, text) = crate::ui::http::send("POST", &url, Some(&file.into()), Some("text/csv")).await?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|_| AppError::Internal)
    } else {
        Err(crate::ui::http::error_from(status, &text))
    }
}

#[component]
pub fn ImportDialog(on_close: Callback<bool>) -> impl IntoView {
    let preview = RwSignal::new(None::<ImportPreview>);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<i64>);
    let on_file = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = _ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            error.set(None);
            preview.set(None);
            busy.set(true);
            leptos::task::spawn_local(async move {
                match upload(file).await {
                    Ok(p) => preview.set(Some(p)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let commit = move |_| {
        let Some(p) = preview.get_untracked() else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match commit_import(p.import_id).await {
                Ok(n) => done.set(Some(n)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/50 px-4 py-16">
            <div role="dialog" aria-modal="true" aria-label="Import assets" data-testid="import-dialog" class=format!("{CARD} w-full max-w-3xl p-6")>
                <h2 class="text-lg font-semibold text-fg">"Import assets from CSV"</h2>
                <p class="mt-1 text-sm text-muted">"The first line names the columns: "{IMPORT_COLUMNS.join(", ")}". Only name is required. Dates are YYYY-MM-DD; assigned_to is the person's email; unknown locations and vendors are created. Nothing is saved until every row is valid."</p>
                <input type="file" accept=".csv,text/csv" class="mt-4 text-sm text-fg" data-testid="import-file" on:change=on_file />
                <div class="mt-4"><ErrorNotice error=Signal::derive(move || error.get()) /></div>
                <Show when=move || busy.get()><p class="text-sm text-muted">"Working…"</p></Show>
                {move || done.get().map(|n| view! { <SuccessNotice message=Signal::derive(move || Some(format!("Imported {n} assets."))) /> })}
                {move || preview.get().filter(|_| done.get().is_none()).map(|p| {
                    let ok = p.error_rows == 0;
                    view! {
                        <div data-testid="import-preview">
                            <p class="text-sm text-fg">{format!("{} rows checked, {} with errors.", p.total_rows, p.error_rows)}</p>
                            {(!p.errors.is_empty()).then(|| view! {
                                <ul class="mt-2 max-h-48 overflow-y-auto rounded border border-danger/40 bg-danger/5 p-3 text-xs text-danger" data-testid="import-errors">
                                    {p.errors.iter().map(|(line, msg)| view! { <li>{format!("Line {line}: {msg}")}</li> }).collect_view()}
                                </ul>
                            })}
                            {ok.then(|| view! {
                                <table class="mt-3 min-w-full text-xs">
                                    <thead><tr><th class=TH>"Line"</th><th class=TH>"Name"</th><th class=TH>"Type"</th><th class=TH>"Status"</th><th class=TH>"Tag"</th><th class=TH>"Assigned"</th><th class=TH>"Location"</th></tr></thead>
                                    <tbody>
                                        {p.sample.iter().map(|r| view! {
                                            <tr><td class="px-4 py-1">{r.row_no}</td><td class="px-4 py-1">{r.name.clone()}</td><td class="px-4 py-1">{AssetType::parse(&r.asset_type).map(|t| t.label()).unwrap_or_default()}</td>
                                                <td class="px-4 py-1">{AssetStatus::parse(&r.status).map(|t| t.label()).unwrap_or_default()}</td><td class="px-4 py-1">{r.tag.clone()}</td><td class="px-4 py-1">{r.assigned_email.clone()}</td><td class="px-4 py-1">{r.location_name.clone()}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                        </div>
                    }
                })}
                <div class="mt-6 flex justify-end gap-2">
                    <button type="button" class=BTN_SECONDARY on:click=move |_| on_close.run(done.get_untracked().is_some())>{move || if done.get().is_some() { "Close" } else { "Cancel" }}</button>
                    <Show when=move || done.get().is_none() && preview.get().is_some_and(|p| p.error_rows == 0)>
                        <button type="button" class=BTN_PRIMARY data-testid="commit-import" disabled=move || busy.get() on:click=commit>
                            {move || format!("Import {} assets", preview.get().map(|p| p.total_rows).unwrap_or(0))}
                        </button>
                    </Show>
                </div>
            </div>
        </div>
    }
}
