//! `/assets`: every asset, filtered and searched, a page at a time.
use super::AssetsNav;
use crate::assets::api::list_assets;
use crate::assets::model::*;
use crate::auth::model::Permission;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AssetsPage() -> impl IntoView {
    let filter = RwSignal::new(AssetFilter::default());
    let list = KeysetList::<AssetSummary, AssetCursor>::new();
    let (rows, next, error) = (list.rows, list.next, list.error);
    let importing = RwSignal::new(false);
    // Loads the first page for the current filter, or appends the next one.
    let load = move |more: bool| {
        let f = filter.get_untracked();
        list.load(more, move |cursor| async move { list_assets(f, cursor).await.map(|p| (p.rows, p.next)) });
    };
    Effect::new(move |_| {
        filter.track();
        load(false);
    });
    let export_href = move || {
        let json = serde_json::to_string(&filter.get()).unwrap_or_default();
        format!("/assets/export.csv?filter={}", urlencode(&json))
    };
    let set = move |f: fn(&mut AssetFilter, String), v: String| filter.update(|x| f(x, v));
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <Title text="Assets" />
            <PageHeader title="Assets" description="Devices and equipment: who has them, where they are, when their warranty ends.">
                <a href=export_href class=BTN_SECONDARY data-testid="export-assets" rel="external">"Export CSV"</a>
                <button type="button" class=BTN_SECONDARY data-testid="import-assets" on:click=move |_| importing.set(true)>"Import CSV"</button>
                <a href="/assets/new" class=BTN_PRIMARY data-testid="new-asset">"New asset"</a>
            </PageHeader>
            <AssetsNav active="/assets" />
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <div class="mb-4 flex flex-wrap items-end gap-3">
                <input type="search" class=format!("{INPUT} max-w-[15rem]") placeholder="Search name, tag, serial…" aria-label="Search assets"
                    data-testid="asset-search"
                    on:input=move |ev| set(|f, v| f.search = v, event_target_value(&ev)) />
                <select class=format!("{INPUT} max-w-[11rem]") aria-label="Type" data-testid="asset-type-filter"
                    on:change=move |ev| set(|f, v| f.asset_type = AssetType::parse(&v), event_target_value(&ev))>
                    <option value="">"All types"</option>
                    {AssetType::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                </select>
                <select class=format!("{INPUT} max-w-[9rem]") aria-label="Status" data-testid="asset-status-filter"
                    on:change=move |ev| set(|f, v| f.status = AssetStatus::parse(&v), event_target_value(&ev))>
                    <option value="">"All statuses"</option>
                    {AssetStatus::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                </select>
                <select class=format!("{INPUT} max-w-[12rem]") aria-label="Warranty"
                    on:change=move |ev| set(|f, v| {
                        f.warranty_before = v.parse::<i64>().ok().map(|d| today() + chrono::Duration::days(d));
                    }, event_target_value(&ev))>
                    <option value="">"Any warranty"</option>
                    <option value="0">"Warranty ended"</option>
                    <option value="30">"Warranty ends within 30 days"</option>
                    <option value="90">"Warranty ends within 90 days"</option>
                </select>
                <select class=format!("{INPUT} max-w-[10rem]") aria-label="Order"
                    on:change=move |ev| set(|f, v| f.order = if v == "updated" { AssetOrder::Updated } else { AssetOrder::Name }, event_target_value(&ev))>
                    <option value="name">"By name"</option>
                    <option value="updated">"Recently changed"</option>
                </select>
            </div>
            <div class=format!("{CARD} overflow-x-auto")>
                <table class="min-w-full divide-y divide-line" data-testid="asset-table">
                    <thead>
                        <tr>
                            <th class=TH>"Name"</th><th class=TH>"Tag"</th><th class=TH>"Type"</th><th class=TH>"Status"</th>
                            <th class=TH>"Make / model"</th><th class=TH>"Assigned to"</th><th class=TH>"Location"</th><th class=TH>"Warranty"</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-line">
                        {move || match rows.get() {
                            None => view! { <tr><td colspan="8" class=TD><Loading /></td></tr> }.into_any(),
                            Some(r) if r.is_empty() => view! {
                                <tr><td colspan="8" class="px-4 py-10 text-center text-sm text-muted">"No assets match. Create one, or import a CSV."</td></tr>
                            }.into_any(),
                            Some(r) => r.into_iter().map(|a| view! { <AssetRow a /> }).collect_view().into_any(),
                        }}
                    </tbody>
                </table>
            </div>
            <Show when=move || next.get().is_some()>
                <div class="mt-4 text-center">
                    <button type="button" class=BTN_SECONDARY data-testid="more-assets" on:click=move |_| load(true)>"Load more"</button>
                </div>
            </Show>
            <Show when=move || importing.get()>
                <super::import::ImportDialog on_close=Callback::new(move |done: bool| { importing.set(false); if done { load(false) } }) />
            </Show>
        </Guarded>
    }
}

/// Badge tone of a warranty end date: past is bad, within 30 days a warning.
pub(crate) fn warranty_tone(d: chrono::NaiveDate) -> Tone {
    let days = (d - today()).num_days();
    if days < 0 {
        Tone::Bad
    } else if days <= 30 {
        Tone::Warn
    } else {
        Tone::Neutral
    }
}

#[component]
fn AssetRow(a: AssetSummary) -> impl IntoView {
    let status_tone = match a.status {
        AssetStatus::InUse => Tone::Good,
        AssetStatus::InStock => Tone::Accent,
        AssetStatus::InRepair => Tone::Warn,
        AssetStatus::Lost => Tone::Bad,
        AssetStatus::Retired => Tone::Neutral,
    };
    view! {
        <tr class="hover:bg-raised/50" data-testid="asset-row">
            <td class=TD><a href=format!("/assets/{}", a.id) class="font-medium text-fg hover:text-accent hover:underline">{a.name.clone()}</a></td>
            <td class=format!("{TD} whitespace-nowrap font-mono text-xs text-muted")>{a.tag.clone().unwrap_or_default()}</td>
            <td class=format!("{TD} text-muted")>{a.asset_type.label()}</td>
            <td class=TD><Badge text=a.status.label() tone=status_tone /></td>
            <td class=format!("{TD} text-muted")>{a.make_model.clone()}</td>
            <td class=TD>{a.assigned_name.clone().unwrap_or_default()}</td>
            <td class=format!("{TD} text-muted")>{a.location_name.clone().unwrap_or_default()}</td>
            <td class=TD>{a.warranty_expires_on.map(|d| view! { <Badge text=d.to_string() tone=warranty_tone(d) /> })}</td>
        </tr>
    }
}
