//! `/assets/software`, `/assets/software/:id` and `/assets/licenses/:id`: software
//! titles with seat usage, their licenses, and a license's seat assignments.
//! Over-assigned licenses are flagged, never refused.
use super::api::{
    assign_license, delete_license, delete_software, get_license, get_software, list_software, save_license,
    save_software, unassign_license,
};
use super::model::{
    fmt_cost, Assignee, LicenseDetail, LicenseInput, SoftwareCursor, SoftwareDetail, SoftwareInput, SoftwareSummary,
};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::error::AppError;
use crate::settings::model::Module;
use crate::ui::*;
use crate::vault::model::SecretChange;
use crate::vault::pages::{date_badge, RevealTarget, SecretBox};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

fn expiry_badge(state: crate::vault::model::ExpiryState, date: Option<chrono::NaiveDate>) -> impl IntoView {
    date_badge(state, date, "Expires", "Expired")
}

fn over_badge(over: bool) -> impl IntoView {
    over.then(|| view! { <Badge text="Over-assigned" tone=Tone::Bad /> })
}

#[component]
pub fn SoftwarePage() -> impl IntoView {
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <Title text="Software" />
            <SoftwareList />
        </Guarded>
    }
}

#[component]
fn SoftwareList() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let list = KeysetList::<SoftwareSummary, SoftwareCursor>::new();
    let creating = RwSignal::new(false);
    let load = move |more: bool| {
        let q = search.get_untracked();
        list.load(more, move |after| async move { list_software(q, after).await.map(|p| (p.items, p.next)) });
    };
    Effect::new(move |_| {
        search.track();
        load(false);
    });
    let navigate = use_navigate();
    view! {
        <PageHeader title="Software" description="Software titles, their licenses and seats in use.">
            <button type="button" class=BTN_PRIMARY on:click=move |_| creating.update(|c| *c = !*c)>"New software"</button>
        </PageHeader>
        <crate::assets::pages::AssetsNav active="/assets/software" />
        <ErrorNotice error=list.error />
        {move || creating.get().then(|| {
            let navigate = navigate.clone();
            view! {
                <Section title="New software">
                    <SoftwareForm initial=None on_saved=Callback::new(move |d: SoftwareDetail| navigate(&format!("/assets/software/{}", d.software.id), Default::default())) />
                </Section>
            }
        })}
        <input type="search" class=format!("{INPUT} mb-4 max-w-md") placeholder="Search name or vendor…" aria-label="Search software"
            on:input=move |ev| search.set(event_target_value(&ev)) prop:value=move || search.get() />
        <div class=CARD>
            <table class="w-full">
                <thead class="border-b border-line"><tr>
                    <th class=TH>"Name"</th><th class=TH>"Vendor"</th><th class=TH>"Licenses"</th><th class=TH>"Seats in use"</th>
                </tr></thead>
                <tbody class="divide-y divide-line">
                    <For each=move || list.all() key=|s| (s.id, s.assigned, s.seats, s.name.clone()) let:s>
                        <tr data-testid="software-row">
                            <td class=TD><a class="font-medium text-accent hover:underline" href=format!("/assets/software/{}", s.id)>{s.name.clone()}</a></td>
                            <td class=format!("{TD} text-muted")>{s.vendor.clone()}</td>
                            <td class=TD>{s.licenses}</td>
                            <td class=format!("{TD} space-x-2")><span>{format!("{} / {}", s.assigned, s.seats)}</span>{over_badge(s.over_assigned)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            {move || list.is_empty().then(|| view! { <p class="px-4 py-8 text-center text-sm text-muted">"No software matches."</p> })}
        </div>
        <Show when=move || list.next.with(Option::is_some)>
            <div class="mt-4 text-center">
                <button type="button" class=BTN_SECONDARY on:click=move |_| load(true)>"Load more"</button>
            </div>
        </Show>
    }
}

#[component]
fn SoftwareForm(initial: Option<super::model::Software>, on_saved: Callback<SoftwareDetail>) -> impl IntoView {
    let id = initial.as_ref().map(|s| s.id);
    let name = RwSignal::new(initial.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let vendor = RwSignal::new(initial.as_ref().map(|s| s.vendor.clone()).unwrap_or_default());
    let notes = RwSignal::new(initial.as_ref().map(|s| s.notes.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<AppError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = SoftwareInput {
            id,
            name: name.get_untracked(),
            vendor: vendor.get_untracked(),
            notes: notes.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match save_software(input).await {
                Ok(d) => on_saved.run(d),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="grid max-w-2xl gap-4" on:submit=submit>
            <ErrorNotice error=error />
            <div class="grid gap-4 sm:grid-cols-2">
                <div><label class=LABEL for="s-name">"Name"</label><input id="s-name" class=INPUT required=true bind:value=name /></div>
                <div><label class=LABEL for="s-vendor">"Vendor"</label><input id="s-vendor" class=INPUT bind:value=vendor /></div>
            </div>
            <div><label class=LABEL for="s-notes">"Notes"</label><textarea id="s-notes" class=INPUT rows="3" bind:value=notes></textarea></div>
            <div><button type="submit" class=BTN_PRIMARY>{if id.is_some() { "Save" } else { "Create" }}</button></div>
        </form>
    }
}

#[component]
pub fn SoftwareView() -> impl IntoView {
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <SoftwareDetailView />
        </Guarded>
    }
}

#[component]
fn SoftwareDetailView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| uuid::Uuid::parse_str(&s).ok()).unwrap_or_default();
    let version = RwSignal::new(0u64);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| get_software(id));
    let session = use_session();
    let may_delete = move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete));
    let editing = RwSignal::new(false);
    let adding = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let remove = move |_| {
        if !confirm("Delete this software title?") {
            return;
        }
        let navigate = navigate.clone();
        let id = id();
        leptos::task::spawn_local(async move {
            match delete_software(id).await {
                Ok(()) => navigate("/assets/software", Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let navigate2 = use_navigate();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new({
                let remove = remove.clone();
                let navigate2 = navigate2.clone();
                async move {
                match detail.await {
                    Err(e) => view! { <Title text="Software" /><ErrorNotice error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                    Ok(d) => {
                        let s = d.software.clone();
                        let sid = s.id;
                        let s_edit = StoredValue::new(s.clone());
                        view! {
                            <Title text=s.name.clone() />
                            <PageHeader title=s.name.clone() description=if s.vendor.is_empty() { "Software".to_string() } else { s.vendor.clone() }>
                                <a href="/assets/software" class=BTN_GHOST>"← Software"</a>
                                <button type="button" class=BTN_SECONDARY on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                                <Show when=may_delete>
                                    <button type="button" class=BTN_DANGER on:click=remove.clone()>"Delete"</button>
                                </Show>
                            </PageHeader>
                            <ErrorNotice error=error />
                            {move || editing.get().then(|| view! {
                                <Section title="Edit software">
                                    <SoftwareForm initial=Some(s_edit.get_value()) on_saved=Callback::new(move |_| { editing.set(false); version.update(|v| *v += 1); }) />
                                </Section>
                            })}
                            {(!d.software.notes.is_empty()).then(|| view! { <p class="mb-6 whitespace-pre-wrap text-sm text-muted">{d.software.notes.clone()}</p> })}
                            <div class="mb-3 flex items-center justify-between">
                                <h2 class="text-base font-semibold text-fg">"Licenses"</h2>
                                <button type="button" class=BTN_SECONDARY on:click=move |_| adding.update(|a| *a = !*a)>"Add license"</button>
                            </div>
                            {move || adding.get().then(|| {
                                let navigate2 = navigate2.clone();
                                view! {
                                    <Section title="New license">
                                        <LicenseForm software_id=sid initial=None on_saved=Callback::new(move |l: LicenseDetail| navigate2(&format!("/assets/licenses/{}", l.license.id), Default::default())) />
                                    </Section>
                                }
                            })}
                            <div class=CARD>
                                <table class="w-full">
                                    <thead class="border-b border-line"><tr>
                                        <th class=TH>"License"</th><th class=TH>"Seats in use"</th><th class=TH>"Expires"</th><th class=TH>"Key"</th>
                                    </tr></thead>
                                    <tbody class="divide-y divide-line">
                                        {d.licenses.iter().map(|l| view! {
                                            <tr data-testid="license-row">
                                                <td class=TD><a class="font-medium text-accent hover:underline" href=format!("/assets/licenses/{}", l.id)>
                                                    {if l.name.is_empty() { "License".to_string() } else { l.name.clone() }}</a></td>
                                                <td class=format!("{TD} space-x-2")><span>{format!("{} / {}", l.assigned, l.seats)}</span>{over_badge(l.over_assigned)}</td>
                                                <td class=format!("{TD} space-x-2")>
                                                    <span>{l.expires_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".into())}</span>
                                                    {expiry_badge(l.expiry, l.expires_on)}
                                                </td>
                                                <td class=TD>{if l.has_key { "stored" } else { "—" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {d.licenses.is_empty().then(|| view! { <p class="px-4 py-8 text-center text-sm text-muted">"No licenses yet."</p> })}
                            </div>
                            <crate::links::LinksPanel kind=crate::links::model::RecordKind::Software id=sid />
                        }
                        .into_any()
                    }
                }
            }})}
        </Suspense>
    }
}

#[component]
fn LicenseForm(
    software_id: uuid::Uuid,
    initial: Option<super::model::License>,
    on_saved: Callback<LicenseDetail>,
) -> impl IntoView {
    let session = use_session();
    let may_change_key = move || session.current().is_some_and(|u| u.can(Permission::VaultReveal));
    let id = initial.as_ref().map(|l| l.id);
    let is_new = id.is_none();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let name = RwSignal::new(initial.as_ref().map(|l| l.name.clone()).unwrap_or_default());
    let seats = RwSignal::new(initial.as_ref().map(|l| l.seats.to_string()).unwrap_or_else(|| "1".into()));
    let expires_on = RwSignal::new(date(initial.as_ref().and_then(|l| l.expires_on)));
    let purchased_on = RwSignal::new(date(initial.as_ref().and_then(|l| l.purchased_on)));
    let cost = RwSignal::new(initial.as_ref().and_then(|l| l.cost_cents).map(fmt_cost).unwrap_or_default());
    let notes = RwSignal::new(initial.as_ref().map(|l| l.notes.clone()).unwrap_or_default());
    let key = RwSignal::new(String::new());
    let clear_key = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let license_key = if clear_key.get_untracked() {
            SecretChange::Clear
        } else if key.get_untracked().trim().is_empty() {
            SecretChange::Keep
        } else {
            SecretChange::Set(key.get_untracked())
        };
        let input = LicenseInput {
            id,
            software_id: Some(software_id),
            name: name.get_untracked(),
            seats: seats.get_untracked(),
            expires_on: expires_on.get_untracked(),
            purchased_on: purchased_on.get_untracked(),
            cost: cost.get_untracked(),
            notes: notes.get_untracked(),
            license_key,
        };
        leptos::task::spawn_local(async move {
            match save_license(input).await {
                Ok(d) => {
                    key.set(String::new());
                    on_saved.run(d)
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="grid max-w-2xl gap-4" on:submit=submit>
            <ErrorNotice error=error />
            <div class="grid gap-4 sm:grid-cols-3">
                <div><label class=LABEL for="l-name">"Name"</label><input id="l-name" class=INPUT placeholder="e.g. 2026 volume" bind:value=name /></div>
                <div><label class=LABEL for="l-seats">"Seats"</label><input id="l-seats" class=INPUT type="number" min="1" bind:value=seats /></div>
                <div><label class=LABEL for="l-cost">"Cost"</label><input id="l-cost" class=INPUT inputmode="decimal" placeholder="1234.50" bind:value=cost /></div>
                <div><label class=LABEL for="l-purchased">"Purchased"</label><input id="l-purchased" class=INPUT type="date" bind:value=purchased_on /></div>
                <div><label class=LABEL for="l-expires">"Expires"</label><input id="l-expires" class=INPUT type="date" bind:value=expires_on /></div>
            </div>
            <Show when=move || is_new || may_change_key() fallback=|| view! { <p class="text-sm text-muted">"Team leads and up change license keys."</p> }>
                <div>
                    <label class=LABEL for="l-key">{if is_new { "License key" } else { "New license key (leave empty to keep)" }}</label>
                    <input id="l-key" class=INPUT type="password" autocomplete="off" bind:value=key />
                    {(!is_new).then(|| view! {
                        <label class="mt-2 inline-flex items-center gap-1.5 text-xs text-danger"><input type="checkbox" bind:checked=clear_key />"Remove the key"</label>
                    })}
                </div>
            </Show>
            <div><label class=LABEL for="l-notes">"Notes"</label><textarea id="l-notes" class=INPUT rows="3" bind:value=notes></textarea></div>
            <div><button type="submit" class=BTN_PRIMARY>{if is_new { "Create" } else { "Save" }}</button></div>
        </form>
    }
}

#[component]
pub fn LicenseView() -> impl IntoView {
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <LicenseDetailView />
        </Guarded>
    }
}

#[component]
fn LicenseDetailView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| uuid::Uuid::parse_str(&s).ok()).unwrap_or_default();
    let version = RwSignal::new(0u64);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| get_license(id));
    let session = use_session();
    let may_delete = move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete));
    let editing = RwSignal::new(false);
    let picking = RwSignal::new(false);
    let users = RwSignal::new(Vec::<Choice>::new());
    let asset = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let bump = move || version.update(|v| *v += 1);
    let assign = move |to: Assignee| {
        let license = id();
        leptos::task::spawn_local(async move {
            match assign_license(license, to).await {
                Ok(_) => {
                    error.set(None);
                    bump();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let open_picker = move |_| {
        leptos::task::spawn_local(async move {
            let q = crate::users::model::UserQuery {
                search: String::new(),
                role: None,
                include_inactive: false,
                after_email: None,
            };
            match crate::users::api::list_users(q).await {
                Ok(p) => {
                    users.set(
                        p.users
                            .into_iter()
                            .map(|u| Choice {
                                value: u.id.0.to_string(),
                                label: format!("{} <{}>", u.display_name, u.email),
                                current: false,
                            })
                            .collect(),
                    );
                    picking.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |_| {
        if !confirm("Delete this license, its key and its assignments?") {
            return;
        }
        let navigate = navigate.clone();
        let id = id();
        leptos::task::spawn_local(async move {
            match delete_license(id).await {
                Ok(()) => navigate("/assets/software", Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new({
                let remove = remove.clone();
                async move {
                match detail.await {
                    Err(e) => view! { <Title text="License" /><ErrorNotice error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                    Ok(d) => {
                        let l = d.license.clone();
                        let title = if l.name.is_empty() { format!("{} license", l.software_name) } else { format!("{} · {}", l.software_name, l.name) };
                        let lid = l.id;
                        let sid = l.software_id;
                        let l_edit = StoredValue::new(l.clone());
                        let n_assigned = d.assignments.len();
                        view! {
                            <Title text=title.clone() />
                            <PageHeader title=title description="License">
                                <a href=format!("/assets/software/{sid}") class=BTN_GHOST>{format!("← {}", l.software_name)}</a>
                                <button type="button" class=BTN_SECONDARY on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                                <Show when=may_delete>
                                    <button type="button" class=BTN_DANGER on:click=remove.clone()>"Delete"</button>
                                </Show>
                            </PageHeader>
                            <ErrorNotice error=error />
                            {d.over_assigned.then(|| view! {
                                <div role="alert" data-testid="over-assigned" class="mb-4 rounded-md border border-warn/40 bg-warn/10 px-4 py-3 text-sm text-warn">
                                    {format!("{} assignments for {} seats: this license is over-assigned.", n_assigned, l.seats)}
                                </div>
                            })}
                            {move || editing.get().then(|| view! {
                                <Section title="Edit license">
                                    <LicenseForm software_id=sid initial=Some(l_edit.get_value()) on_saved=Callback::new(move |_| { editing.set(false); bump(); }) />
                                </Section>
                            })}
                            <Section title="Details">
                                <dl class="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
                                    <dt class="text-muted">"Seats in use"</dt>
                                    <dd class="space-x-2 text-fg"><span>{format!("{} / {}", n_assigned, d.license.seats)}</span>{over_badge(d.over_assigned)}</dd>
                                    <dt class="text-muted">"Expires"</dt>
                                    <dd class="flex items-center gap-2 text-fg">{d.license.expires_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".into())}{expiry_badge(d.license.expiry, d.license.expires_on)}</dd>
                                    <dt class="text-muted">"Purchased"</dt><dd class="text-fg">{d.license.purchased_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".into())}</dd>
                                    <dt class="text-muted">"Cost"</dt><dd class="text-fg">{d.license.cost_cents.map(fmt_cost).unwrap_or_else(|| "—".into())}</dd>
                                    <dt class="text-muted">"License key"</dt><dd><SecretBox target=RevealTarget::LicenseKey(lid) present=d.license.has_key /></dd>
                                    <dt class="text-muted">"Notes"</dt><dd class="whitespace-pre-wrap text-fg">{d.license.notes.clone()}</dd>
                                </dl>
                            </Section>
                            <Section title="Assignments" description="One seat per user or asset.">
                                <div class="mb-4 flex flex-wrap items-center gap-2">
                                    <button type="button" class=BTN_SECONDARY on:click=open_picker>"Assign to a user"</button>
                                    <form class="flex items-center gap-2" on:submit=move |ev| {
                                        ev.prevent_default();
                                        match uuid::Uuid::parse_str(asset.get_untracked().trim()) {
                                            Ok(a) => { asset.set(String::new()); assign(Assignee::Asset(a)); }
                                            Err(_) => error.set(Some(AppError::field("asset", "Enter the asset's id."))),
                                        }
                                    }>
                                        <input class=format!("{INPUT} w-80") placeholder="Asset id" aria-label="Asset id" bind:value=asset />
                                        <button type="submit" class=format!("{BTN_SECONDARY} whitespace-nowrap")>"Assign to an asset"</button>
                                    </form>
                                </div>
                                <ul class="divide-y divide-line">
                                    {d.assignments.iter().map(|a| {
                                        let aid = a.id;
                                        view! {
                                            <li class="flex items-center justify-between py-2 text-sm" data-testid="assignment">
                                                <span class="text-fg">{a.label.clone()}</span>
                                                <button type="button" class=BTN_GHOST on:click=move |_| {
                                                    leptos::task::spawn_local(async move {
                                                        match unassign_license(aid).await {
                                                            Ok(_) => bump(),
                                                            Err(e) => error.set(Some(e)),
                                                        }
                                                    });
                                                }>"Remove"</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {d.assignments.is_empty().then(|| view! { <p class="text-sm text-muted">"No seats assigned."</p> })}
                            </Section>
                            <crate::links::LinksPanel kind=crate::links::model::RecordKind::License id=lid />
                        }
                        .into_any()
                    }
                }
            }})}
        </Suspense>
        {move || picking.get().then(|| view! {
            <Picker title="Assign to a user" choices=users
                on_pick=Callback::new(move |v: String| { picking.set(false); if let Ok(u) = uuid::Uuid::parse_str(&v) { assign(Assignee::User(u)); } })
                on_close=Callback::new(move |_| picking.set(false)) />
        })}
    }
}
