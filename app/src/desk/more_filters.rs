//! The second row of the filter bar: exact status, category, team, requester and
//! created/updated date ranges. Choices load in the browser after hydration, so the
//! server and the browser render the same empty lists first.
use super::pages::SELECT;
use crate::teams::{api::list_teams, model::Team};
use crate::tickets::api::get_workflow;
use crate::tickets::fields::{api::get_catalog, CategoryId, TicketCatalog};
use crate::tickets::model::{TicketFilter, TicketSort, Workflow};

/// Every queue order, for the order menu (the column headers offer the common ones).
const ORDERS: [(TicketSort, &str, &str); 8] = [
    (TicketSort::UpdatedDesc, "updated_desc", "Recently updated"),
    (TicketSort::UpdatedAsc, "updated_asc", "Least recently updated"),
    (TicketSort::CreatedDesc, "created_desc", "Newest first"),
    (TicketSort::CreatedAsc, "created_asc", "Oldest first"),
    (TicketSort::PriorityHigh, "priority_high", "Priority, P1 first"),
    (TicketSort::PriorityLow, "priority_low", "Priority, P4 first"),
    (TicketSort::NumberDesc, "number_desc", "Number, highest first"),
    (TicketSort::NumberAsc, "number_asc", "Number, lowest first"),
];
use crate::tickets::pages::Queue;
use crate::ui::*;
use leptos::prelude::*;

const DATE: &str =
    "rounded-md border border-line bg-bg px-2 py-1.5 text-sm text-fg focus:outline-none focus:ring-2 focus:ring-accent";

/// Whether the view uses any filter of this row (then the row stays open).
pub fn has_extras(queue: Queue) -> bool {
    queue.changed.track();
    queue.view.track();
    queue.views.track();
    let f = queue.filter();
    !f.statuses.is_empty()
        || f.category.is_some()
        || f.team.is_some()
        || f.requester.is_some()
        || f.created_from.is_some()
        || f.created_to.is_some()
        || f.updated_from.is_some()
        || f.updated_to.is_some()
}

#[component]
pub fn MoreFilters(queue: Queue) -> impl IntoView {
    let catalog = RwSignal::new(TicketCatalog::default());
    let workflow = RwSignal::new(Workflow::default());
    let teams = RwSignal::new(Vec::<Team>::new());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(c) = get_catalog().await {
                catalog.set(c);
            }
            if let Ok(w) = get_workflow().await {
                workflow.set(w);
            }
            if let Ok(t) = list_teams().await {
                teams.set(t);
            }
        });
    });
    let shown = Memo::new(move |_| {
        queue.changed.track();
        queue.view.track();
        queue.views.track();
        queue.filter()
    });
    let change = move |f: &dyn Fn(&mut TicketFilter)| {
        let mut next = shown.get_untracked();
        f(&mut next);
        next.after = None;
        queue.changed.set(Some(next));
    };
    let date = move |label: &'static str,
                     get: fn(&TicketFilter) -> Option<chrono::NaiveDate>,
                     set: fn(&mut TicketFilter, Option<chrono::NaiveDate>)| {
        view! {
            <input type="date" class=DATE aria-label=label title=label
                prop:value=move || get(&shown.get()).map(|d| d.to_string()).unwrap_or_default()
                on:change=move |ev| {
                    let d = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok();
                    change(&|f| set(f, d));
                } />
        }
    };
    view! {
        <div class="flex flex-wrap items-center gap-2 rounded-lg border border-line bg-surface/60 p-2 text-sm text-muted" data-testid="more-filters">
            <select class=SELECT aria-label="Exact status" on:change=move |ev| {
                let v = event_target_value(&ev);
                change(&|f| f.statuses = if v.is_empty() { Vec::new() } else { vec![v.clone()] });
            }>
                <option value="" prop:selected=move || shown.get().statuses.is_empty()>"Every status"</option>
                {move || workflow.get().statuses.into_iter().map(|s| {
                    let key = s.key.clone();
                    view! { <option value=s.key.clone() prop:selected=move || shown.get().statuses == [key.clone()]>{s.name}</option> }
                }).collect_view()}
            </select>
            <select class=SELECT aria-label="Category" on:change=move |ev| {
                let id = event_target_value(&ev).parse::<uuid::Uuid>().ok().map(CategoryId);
                change(&|f| f.category = id);
            }>
                <option value="" prop:selected=move || shown.get().category.is_none()>"Any category"</option>
                {move || catalog.get().category_choices().into_iter().map(|(id, label)| view! {
                    <option value=id.0.to_string() prop:selected=move || shown.get().category == Some(id)>{label}</option>
                }).collect_view()}
            </select>
            <select class=SELECT aria-label="Team" on:change=move |ev| {
                let id = event_target_value(&ev).parse::<uuid::Uuid>().ok().map(crate::teams::model::TeamId);
                change(&|f| f.team = id);
            }>
                <option value="" prop:selected=move || shown.get().team.is_none()>"Any team"</option>
                {move || teams.get().into_iter().map(|t| {
                    let id = t.id;
                    view! { <option value=t.id.0.to_string() prop:selected=move || shown.get().team == Some(id)>{t.name}</option> }
                }).collect_view()}
            </select>
            {move || shown.get().requester.map(|_| view! {
                <button type="button" class=BTN_GHOST title="Show every requester" on:click=move |_| change(&|f| f.requester = None)>
                    "One requester ×"
                </button>
            })}
            <select class=SELECT aria-label="Order" on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some((sort, _, _)) = ORDERS.iter().find(|(_, k, _)| *k == v) { change(&|f| f.sort = *sort) }
            }>
                {ORDERS.iter().map(|(sort, key, label)| view! { <option value=*key prop:selected=move || shown.get().sort == *sort>{*label}</option> }).collect_view()}
            </select>
            <span class="ml-2">"Created"</span>
            {date("Created from", |f| f.created_from, |f, d| f.created_from = d)}
            <span>"–"</span>
            {date("Created to", |f| f.created_to, |f, d| f.created_to = d)}
            <span class="ml-2">"Updated"</span>
            {date("Updated from", |f| f.updated_from, |f, d| f.updated_from = d)}
            <span>"–"</span>
            {date("Updated to", |f| f.updated_to, |f, d| f.updated_to = d)}
        </div>
    }
}
