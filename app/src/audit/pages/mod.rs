//! Administration → Audit log: filters and keyset paging.
use crate::admin::AdminTabs;
use crate::audit::api::{list_audit, list_audit_actions};
use crate::audit::model::{AuditEntry, AuditFilter};
use crate::auth::model::Permission;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let action = RwSignal::new(String::new());
    let entity = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<i64>);
    let next = RwSignal::new(None::<i64>);
    let filter = Memo::new(move |_| AuditFilter {
        action: action.get(),
        entity_type: entity.get(),
        actor: actor.get(),
        from: from.get(),
        to: to.get(),
        before_id: cursor.get(),
    });
    let page = Resource::new(move || filter.get(), list_audit);
    let actions = Resource::new(|| (), |_| list_audit_actions());
    // Any filter change starts from the newest entry again.
    Effect::new(move |_| {
        action.track();
        entity.track();
        actor.track();
        from.track();
        to.track();
        cursor.set(None);
    });
    view! {
        <Guarded permission=Permission::AuditView>
            <Title text="Audit log" />
            <PageHeader title="Administration" description="Every change, who made it and when. Tamper-evident: run `helios audit verify` to check the chain." />
            <AdminTabs />
            <div class="mb-4 grid grid-cols-2 gap-3 md:grid-cols-5">
                <select class=INPUT aria-label="Action" on:change=move |ev| action.set(event_target_value(&ev))>
                    <option value="">"All actions"</option>
                    <Suspense>
                        {move || Suspend::new(async move {
                            actions.await.unwrap_or_default().into_iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()
                        })}
                    </Suspense>
                </select>
                <select class=INPUT aria-label="Entity type" on:change=move |ev| entity.set(event_target_value(&ev))>
                    <option value="">"All records"</option>
                    {["user", "team", "setting", "job", "ticket", "asset", "location", "vendor", "credential", "software", "license", "domain", "certificate", "document", "record_link"].into_iter().map(|e| view! { <option value=e>{e}</option> }).collect_view()}
                </select>
                <input class=INPUT type="search" placeholder="Actor email…" aria-label="Actor" bind:value=actor />
                <input class=INPUT type="date" aria-label="From date" bind:value=from />
                <input class=INPUT type="date" aria-label="To date" bind:value=to />
            </div>
            <div class=format!("{CARD} overflow-x-auto")>
                <table class="w-full" data-testid="audit-table">
                    <thead class="border-b border-line bg-raised/50">
                        <tr><th class=TH>"When"</th><th class=TH>"Actor"</th><th class=TH>"Action"</th><th class=TH>"Record"</th><th class=TH>"Change"</th></tr>
                    </thead>
                    <tbody class="divide-y divide-line">
                        <Transition fallback=|| view! { <tr><td colspan="5"><Loading /></td></tr> }>
                            {move || Suspend::new(async move {
                                match page.await {
                                    Ok(p) => {
                                        next.set(p.next_before_id);
                                        view! {
                                            {p.entries.is_empty().then(|| view! { <tr><td colspan="5" class="px-4 py-10 text-center text-sm text-muted">"No entries match these filters."</td></tr> })}
                                            {p.entries.into_iter().map(|e| view! { <AuditRow entry=e /> }).collect_view()}
                                        }.into_any()
                                    }
                                    Err(e) => view! { <tr><td colspan="5" class="px-4 py-6 text-sm text-danger">{e.to_string()}</td></tr> }.into_any(),
                                }
                            })}
                        </Transition>
                    </tbody>
                </table>
                <div class="flex justify-end gap-2 border-t border-line px-4 py-3">
                    {move || cursor.get().map(|_| view! { <button type="button" class=BTN_GHOST on:click=move |_| cursor.set(None)>"Newest"</button> })}
                    {move || next.get().map(|n| view! { <button type="button" class=BTN_SECONDARY on:click=move |_| cursor.set(Some(n))>"Older entries"</button> })}
                </div>
            </div>
        </Guarded>
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let has_change = entry.before.is_some() || entry.after.is_some();
    view! {
        <tr class="align-top hover:bg-raised/40">
            <td class=format!("{TD} whitespace-nowrap text-muted tabular-nums")>{fmt_time(entry.occurred_at)}</td>
            <td class=format!("{TD} text-fg")>{entry.actor_label.clone()}</td>
            <td class=TD><Badge text=entry.action.clone() tone=Tone::Accent /></td>
            <td class=format!("{TD} text-muted")>{format!("{} {}", entry.entity_type, short(&entry.entity_id))}</td>
            <td class=TD>
                {has_change.then(|| view! {
                    <details class="text-xs">
                        <summary class="cursor-pointer text-muted hover:text-fg">"Details"</summary>
                        <div class="mt-2 grid gap-2 md:grid-cols-2">
                            {entry.before.clone().map(|b| view! { <div><p class="mb-1 font-semibold text-faint">"Before"</p><pre class="overflow-x-auto rounded bg-bg p-2 text-muted">{b}</pre></div> })}
                            {entry.after.clone().map(|a| view! { <div><p class="mb-1 font-semibold text-faint">"After"</p><pre class="overflow-x-auto rounded bg-bg p-2 text-muted">{a}</pre></div> })}
                        </div>
                    </details>
                })}
            </td>
        </tr>
    }
}

fn short(id: &str) -> String {
    if id.len() > 13 {
        format!("{}…", &id[..8])
    } else {
        id.to_string()
    }
}
