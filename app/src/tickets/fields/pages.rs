//! Administration → Service desk: statuses and their transitions, categories with
//! subcategories, and custom fields. Managers and admins (DeskConfigure).
use super::api::{get_catalog, DeleteCategory, DeleteStatus, SaveCategory, SaveField, SaveStatus, SetTransitions};
use super::{CategoryId, CustomField, FieldKind, TicketCatalog};
use crate::admin::AdminTabs;
use crate::auth::model::Permission;
use crate::settings::model::Module;
use crate::tickets::api::get_workflow;
use crate::tickets::model::{Status, StatusCategory, Workflow};
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

const CATEGORIES: [(StatusCategory, &str); 6] = [
    (StatusCategory::New, "New"),
    (StatusCategory::Open, "Open"),
    (StatusCategory::Pending, "Pending"),
    (StatusCategory::Scheduled, "Scheduled"),
    (StatusCategory::Resolved, "Resolved"),
    (StatusCategory::Closed, "Closed"),
];
const SMALL: &str =
    "rounded-md border border-line bg-bg px-2 py-1 text-sm text-fg focus:outline-none focus:ring-2 focus:ring-accent";

#[component]
pub fn DeskConfigPage() -> impl IntoView {
    let save_status = ServerAction::<SaveStatus>::new();
    let delete_status = ServerAction::<DeleteStatus>::new();
    let transitions = ServerAction::<SetTransitions>::new();
    let save_category = ServerAction::<SaveCategory>::new();
    let delete_category = ServerAction::<DeleteCategory>::new();
    let save_field = ServerAction::<SaveField>::new();
    let flow_version =
        Memo::new(move |_| save_status.version().get() + delete_status.version().get() + transitions.version().get());
    let catalog_version = Memo::new(move |_| {
        save_category.version().get() + delete_category.version().get() + save_field.version().get()
    });
    let workflow = Resource::new(move || flow_version.get(), |_| get_workflow());
    let catalog = Resource::new(move || catalog_version.get(), |_| get_catalog());
    let error = Signal::derive(move || {
        error_of(save_status.value().get())
            .or_else(|| error_of(delete_status.value().get()))
            .or_else(|| error_of(transitions.value().get()))
            .or_else(|| error_of(save_category.value().get()))
            .or_else(|| error_of(delete_category.value().get()))
            .or_else(|| error_of(save_field.value().get()))
    });
    view! {
        <Guarded permission=Permission::DeskConfigure module=Module::ServiceDesk>
            <Title text="Service desk settings" />
            <PageHeader title="Administration" description="How tickets move and how they are classified." />
            <AdminTabs />
            <ErrorNotice error=error />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let wf = workflow.await;
                    let cat = catalog.await;
                    match (wf, cat) {
                        (Ok(wf), Ok(cat)) => view! {
                            <div class="space-y-8">
                                <Statuses wf=wf save_status delete_status transitions />
                                <Categories catalog=cat.clone() save_category delete_category />
                                <Fields catalog=cat save_field />
                            </div>
                        }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! { <p class="text-danger">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
fn Statuses(
    wf: Workflow,
    save_status: ServerAction<SaveStatus>,
    delete_status: ServerAction<DeleteStatus>,
    transitions: ServerAction<SetTransitions>,
) -> impl IntoView {
    let key = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(StatusCategory::Open);
    let next_position = wf.statuses.len() as i32 + 1;
    let all = wf.statuses.clone();
    view! {
        <section class=format!("{CARD} p-5") data-testid="statuses">
            <h2 class="text-base font-semibold text-fg">"Statuses and transitions"</h2>
            <p class="mb-4 text-sm text-muted">"Each status belongs to a category that filters and SLA clocks use. Tick the statuses a ticket may move to from each one."</p>
            <div class="overflow-x-auto">
                <table class="w-full text-sm">
                    <thead><tr>
                        <th class=TH>"Status"</th><th class=TH>"Category"</th><th class=TH>"May move to"</th><th class=TH></th>
                    </tr></thead>
                    <tbody class="divide-y divide-line">
                        {wf.statuses.iter().enumerate().map(|(i, s)| {
                            view! { <StatusRow status=s.clone() position=i as i32 + 1 all=all.clone() allowed=wf.next_statuses(&s.key).iter().map(|x| x.key.clone()).collect() save_status delete_status transitions /> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <form class="mt-4 flex flex-wrap items-end gap-3" on:submit=move |ev| {
                ev.prevent_default();
                save_status.dispatch(SaveStatus { key: key.get_untracked(), name: name.get_untracked(), category: category.get_untracked(), position: next_position });
            }>
                <div><label class=LABEL for="st_key">"Key"</label><input id="st_key" class=SMALL placeholder="on_hold" bind:value=key /></div>
                <div><label class=LABEL for="st_name">"Name"</label><input id="st_name" class=SMALL placeholder="On hold" bind:value=name /></div>
                <div><label class=LABEL for="st_cat">"Category"</label>
                    <select id="st_cat" class=SMALL on:change=move |ev| {
                        if let Some((c, _)) = CATEGORIES.iter().find(|(_, l)| *l == event_target_value(&ev)) { category.set(*c) }
                    }>
                        {CATEGORIES.iter().map(|(c, l)| view! { <option value=*l selected=*c == StatusCategory::Open>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class=BTN_SECONDARY>"Add status"</button>
            </form>
        </section>
    }
}

#[component]
fn StatusRow(
    status: Status,
    position: i32,
    all: Vec<Status>,
    allowed: Vec<String>,
    save_status: ServerAction<SaveStatus>,
    delete_status: ServerAction<DeleteStatus>,
    transitions: ServerAction<SetTransitions>,
) -> impl IntoView {
    let name = RwSignal::new(status.name.clone());
    let key = status.key.clone();
    let picked = RwSignal::new(allowed);
    let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
    let cat = status.category;
    view! {
        <tr data-status=key.clone()>
            <td class=TD>
                <input class=SMALL aria-label=format!("Name of {}", status.name) prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    on:change=move |_| { save_status.dispatch(SaveStatus { key: k1.clone(), name: name.get_untracked(), category: cat, position }); } />
                <p class="mt-1 font-mono text-xs text-faint">{key.clone()}</p>
            </td>
            <td class=TD>
                <select class=SMALL aria-label=format!("Category of {}", status.name) on:change=move |ev| {
                    if let Some((c, _)) = CATEGORIES.iter().find(|(_, l)| *l == event_target_value(&ev)) {
                        save_status.dispatch(SaveStatus { key: k2.clone(), name: name.get_untracked(), category: *c, position });
                    }
                }>
                    {CATEGORIES.iter().map(|(c, l)| view! { <option value=*l selected=*c == cat>{*l}</option> }).collect_view()}
                </select>
            </td>
            <td class=TD>
                <div class="flex max-w-xl flex-wrap gap-x-3 gap-y-1">
                    {all.iter().filter(|s| s.key != key).map(|s| {
                        let to = s.key.clone();
                        let from = key.clone();
                        let on = { let to = to.clone(); move || picked.with(|p| p.contains(&to)) };
                        view! {
                            <label class="flex items-center gap-1 text-xs text-muted">
                                <input type="checkbox" class="h-3.5 w-3.5 accent-accent" prop:checked=on on:change=move |ev| {
                                    let checked = event_target_checked(&ev);
                                    picked.update(|p| { p.retain(|x| *x != to); if checked { p.push(to.clone()); } });
                                    transitions.dispatch(SetTransitions { from: from.clone(), to: picked.get_untracked() });
                                } />
                                {s.name.clone()}
                            </label>
                        }
                    }).collect_view()}
                </div>
            </td>
            <td class=format!("{TD} text-right")>
                <button type="button" class=BTN_GHOST on:click=move |_| {
                    if confirm("Delete this status? Only statuses no ticket is in can go.") {
                        delete_status.dispatch(DeleteStatus { key: k3.clone() });
                    }
                }>"Delete"</button>
            </td>
        </tr>
    }
}

#[component]
fn Categories(
    catalog: TicketCatalog,
    save_category: ServerAction<SaveCategory>,
    delete_category: ServerAction<DeleteCategory>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(None::<CategoryId>);
    let mut top: Vec<_> = catalog.categories.iter().filter(|c| c.parent.is_none()).cloned().collect();
    top.sort_by_key(|c| (c.position, c.name.clone()));
    let parents = top.clone();
    view! {
        <section class=format!("{CARD} p-5") data-testid="categories">
            <h2 class="text-base font-semibold text-fg">"Categories"</h2>
            <p class="mb-4 text-sm text-muted">"One level of subcategories. Deactivate a category to hide it from new tickets; tickets filed under it keep it."</p>
            <ul class="divide-y divide-line">
                {top.into_iter().map(|c| {
                    let mut kids: Vec<_> = catalog.categories.iter().filter(|k| k.parent == Some(c.id)).cloned().collect();
                    kids.sort_by_key(|k| (k.position, k.name.clone()));
                    view! {
                        <li class="py-2">
                            <CategoryRow c=c.clone() save_category delete_category />
                            <ul class="ml-6 mt-1 space-y-1">
                                {kids.into_iter().map(|k| view! { <li><CategoryRow c=k save_category delete_category /></li> }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="mt-4 flex flex-wrap items-end gap-3" on:submit=move |ev| {
                ev.prevent_default();
                save_category.dispatch(SaveCategory { id: None, parent: parent.get_untracked(), name: name.get_untracked(), position: 100, active: true });
                name.set(String::new());
            }>
                <div><label class=LABEL for="cat_name">"Name"</label><input id="cat_name" class=SMALL bind:value=name /></div>
                <div><label class=LABEL for="cat_parent">"Under"</label>
                    <select id="cat_parent" class=SMALL on:change=move |ev| parent.set(event_target_value(&ev).parse::<uuid::Uuid>().ok().map(CategoryId))>
                        <option value="">"(top level)"</option>
                        {parents.into_iter().map(|p| view! { <option value=p.id.0.to_string()>{p.name}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class=BTN_SECONDARY>"Add category"</button>
            </form>
        </section>
    }
}

#[component]
fn CategoryRow(
    c: super::Category,
    save_category: ServerAction<SaveCategory>,
    delete_category: ServerAction<DeleteCategory>,
) -> impl IntoView {
    let name = RwSignal::new(c.name.clone());
    let (id, parent, position, active) = (c.id, c.parent, c.position, c.active);
    let save = move |active: bool| {
        save_category.dispatch(SaveCategory { id: Some(id), parent, name: name.get_untracked(), position, active });
    };
    view! {
        <div class="flex items-center gap-2" data-category=c.name.clone()>
            <input class=SMALL aria-label=format!("Name of {}", c.name) prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev)) on:change=move |_| save(active) />
            {(!active).then(|| view! { <Badge text="inactive" tone=Tone::Neutral /> })}
            <button type="button" class=BTN_GHOST on:click=move |_| save(!active)>{if active { "Deactivate" } else { "Activate" }}</button>
            <button type="button" class=BTN_GHOST on:click=move |_| {
                if confirm("Delete this category and its subcategories?") { delete_category.dispatch(DeleteCategory { id }); }
            }>"Delete"</button>
        </div>
    }
}

#[component]
fn Fields(catalog: TicketCatalog, save_field: ServerAction<SaveField>) -> impl IntoView {
    let draft = RwSignal::new(CustomField { active: true, ..Default::default() });
    let options = RwSignal::new(String::new());
    let next_position = catalog.fields.len() as i32 + 1;
    let edit = move |f: CustomField| {
        options.set(f.options.join("\n"));
        draft.set(f);
    };
    let keys = StoredValue::new(catalog.fields.iter().map(|f| f.key.clone()).collect::<Vec<_>>());
    let existing = move || draft.with(|d| keys.with_value(|k| k.contains(&d.key)));
    let list = catalog.fields.clone();
    view! {
        <section class=format!("{CARD} p-5") data-testid="custom-field-admin">
            <h2 class="text-base font-semibold text-fg">"Custom fields"</h2>
            <p class="mb-4 text-sm text-muted">"Extra details agents fill in on tickets. A field's kind is fixed once created; deactivate fields you no longer use so old values stay readable."</p>
            <table class="mb-4 w-full text-sm">
                <thead><tr><th class=TH>"Label"</th><th class=TH>"Key"</th><th class=TH>"Kind"</th><th class=TH>"Required"</th><th class=TH></th></tr></thead>
                <tbody class="divide-y divide-line">
                    {list.into_iter().map(|f| {
                        let f2 = f.clone();
                        view! {
                            <tr data-field-def=f.key.clone()>
                                <td class=TD>{f.label.clone()}{(!f.active).then(|| view! { " " <Badge text="inactive" tone=Tone::Neutral /> })}</td>
                                <td class=format!("{TD} font-mono text-xs text-muted")>{f.key.clone()}</td>
                                <td class=TD>{f.kind.label()}</td>
                                <td class=TD>{if f.required { "Yes" } else { "No" }}</td>
                                <td class=format!("{TD} text-right")><button type="button" class=BTN_GHOST on:click=move |_| edit(f2.clone())>"Edit"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="grid gap-3 sm:grid-cols-2" on:submit=move |ev| {
                ev.prevent_default();
                let mut f = draft.get_untracked();
                f.options = options.get_untracked().lines().map(str::to_string).collect();
                if f.position == 0 { f.position = next_position; }
                save_field.dispatch(SaveField { field: f });
            }>
                <div><label class=LABEL for="cf_label">"Label"</label>
                    <input id="cf_label" class=INPUT prop:value=move || draft.with(|d| d.label.clone()) on:input=move |ev| draft.update(|d| d.label = event_target_value(&ev)) /></div>
                <div><label class=LABEL for="cf_key">"Key"</label>
                    <input id="cf_key" class=INPUT placeholder="asset_tag" prop:value=move || draft.with(|d| d.key.clone()) on:input=move |ev| draft.update(|d| d.key = event_target_value(&ev)) /></div>
                <div><label class=LABEL for="cf_kind">"Kind"</label>
                    <select id="cf_kind" class=INPUT disabled=existing on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(k) = FieldKind::ALL.into_iter().find(|k| k.key() == v) { draft.update(|d| d.kind = k) }
                    }>
                        {FieldKind::ALL.into_iter().map(|k| view! { <option value=k.key() prop:selected=move || draft.with(|d| d.kind) == k>{k.label()}</option> }).collect_view()}
                    </select></div>
                <div class="flex items-end gap-4 pb-2">
                    <label class="flex items-center gap-2 text-sm text-fg"><input type="checkbox" class="h-4 w-4 accent-accent" prop:checked=move || draft.with(|d| d.required) on:change=move |ev| draft.update(|d| d.required = event_target_checked(&ev)) />"Required"</label>
                    <label class="flex items-center gap-2 text-sm text-fg"><input type="checkbox" class="h-4 w-4 accent-accent" prop:checked=move || draft.with(|d| d.active) on:change=move |ev| draft.update(|d| d.active = event_target_checked(&ev)) />"Active"</label>
                </div>
                {move || draft.with(|d| d.kind.has_options()).then(|| view! {
                    <div class="sm:col-span-2"><label class=LABEL for="cf_options">"Choices (one per line)"</label>
                        <textarea id="cf_options" rows="4" class=INPUT prop:value=move || options.get() on:input=move |ev| options.set(event_target_value(&ev))></textarea></div>
                })}
                <div class="flex gap-2 sm:col-span-2">
                    <button type="submit" class=BTN_PRIMARY>{move || if existing() { "Save field" } else { "Add field" }}</button>
                    <button type="button" class=BTN_GHOST on:click=move |_| { draft.set(CustomField { active: true, ..Default::default() }); options.set(String::new()); }>"Clear"</button>
                </div>
            </form>
        </section>
    }
}
