//! Locations and vendors: a list with an inline form, and a page per record with
//! its assets and links.
use super::{AssetsNav, Field};
use crate::assets::api::{delete_place, get_place, list_assets, list_places, save_place};
use crate::assets::model::*;
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::error::AppError;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LocationsPage() -> impl IntoView {
    view! { <PlacesList kind=PlaceKind::Location /> }
}

#[component]
pub fn VendorsPage() -> impl IntoView {
    view! { <PlacesList kind=PlaceKind::Vendor /> }
}

#[component]
pub fn LocationPage() -> impl IntoView {
    view! { <PlacePage kind=PlaceKind::Location /> }
}

#[component]
pub fn VendorPage() -> impl IntoView {
    view! { <PlacePage kind=PlaceKind::Vendor /> }
}

fn base(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Location => "/assets/locations",
        PlaceKind::Vendor => "/assets/vendors",
    }
}

#[component]
fn PlacesList(kind: PlaceKind) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let changed = RwSignal::new(0u32);
    let items = RwSignal::new(None::<Vec<Place>>);
    Effect::new(move |_| {
        changed.track();
        let q = search.get();
        leptos::task::spawn_local(async move {
            if let Ok(l) = list_places(kind, q).await {
                items.set(Some(l));
            }
        });
    });
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <Title text=kind.plural() />
            <PageHeader title=kind.plural() description=match kind {
                PlaceKind::Location => "Offices, rooms and sites where assets live.",
                PlaceKind::Vendor => "Who sells, supports and repairs your assets.",
            } />
            <AssetsNav active=base(kind) />
            <div class="grid gap-6 lg:grid-cols-[1fr_22rem]">
                <div>
                    <input type="search" class=format!("{INPUT} mb-3 max-w-xs") placeholder="Search…" aria-label="Search"
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                    <div class=CARD>
                        <table class="min-w-full divide-y divide-line">
                            <thead><tr><th class=TH>"Name"</th><th class=TH>{match kind { PlaceKind::Location => "Address", PlaceKind::Vendor => "Contact" }}</th><th class=TH>"Assets"</th></tr></thead>
                            <tbody class="divide-y divide-line">
                                {move || items.get().map(|l| l.into_iter().map(|p| view! {
                                    <tr data-testid="place-row">
                                        <td class=TD><a class="font-medium text-fg hover:text-accent hover:underline" href=format!("{}/{}", base(kind), p.id)>{p.input.name.clone()}</a></td>
                                        <td class=format!("{TD} text-muted")>{match kind {
                                            PlaceKind::Location => p.input.address.clone(),
                                            PlaceKind::Vendor => [p.input.email.clone(), p.input.phone.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · "),
                                        }}</td>
                                        <td class=TD>{p.asset_count}</td>
                                    </tr>
                                }).collect_view())}
                            </tbody>
                        </table>
                    </div>
                </div>
                <section class=format!("{CARD} p-5")>
                    <h2 class="mb-3 text-sm font-semibold text-fg">{format!("New {}", kind.label().to_lowercase())}</h2>
                    <PlaceForm kind existing=None on_saved=Callback::new(move |_| changed.update(|c| *c += 1)) />
                </section>
            </div>
        </Guarded>
    }
}

#[component]
fn PlaceForm(kind: PlaceKind, existing: Option<Place>, on_saved: Callback<Place>) -> impl IntoView {
    let id = existing.as_ref().map(|p| p.id);
    let form = RwSignal::new(existing.map(|p| p.input).unwrap_or_default());
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    let bind = move |get: fn(&PlaceInput) -> String, put: fn(&mut PlaceInput, String)| {
        (Signal::derive(move || form.with(get)), Callback::new(move |v: String| form.update(|f| put(f, v))))
    };
    let (name, set_name) = bind(|f| f.name.clone(), |f, v| f.name = v);
    let (address, set_address) = bind(|f| f.address.clone(), |f, v| f.address = v);
    let (website, set_website) = bind(|f| f.website.clone(), |f, v| f.website = v);
    let (email, set_email) = bind(|f| f.email.clone(), |f, v| f.email = v);
    let (phone, set_phone) = bind(|f| f.phone.clone(), |f, v| f.phone = v);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(None);
        let input = form.get_untracked();
        leptos::task::spawn_local(async move {
            match save_place(kind, id, input).await {
                Ok(p) => {
                    if id.is_none() {
                        form.set(PlaceInput::default());
                    }
                    saved.set(Some(format!("Saved \"{}\".", p.input.name)));
                    on_saved.run(p);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="space-y-3" on:submit=submit data-testid="place-form">
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <SuccessNotice message=Signal::derive(move || saved.get()) />
            <Field label="Name" value=name set=set_name testid="place-name" />
            {match kind {
                PlaceKind::Location => view! { <Field label="Address" value=address set=set_address /> }.into_any(),
                PlaceKind::Vendor => view! {
                    <Field label="Website" value=website set=set_website />
                    <Field label="Email" kind="email" value=email set=set_email />
                    <Field label="Phone" value=phone set=set_phone />
                }.into_any(),
            }}
            <label class="block"><span class=LABEL>"Notes"</span>
                <textarea class=INPUT prop:value=move || form.with(|f| f.notes.clone()) on:input=move |ev| form.update(|f| f.notes = event_target_value(&ev))></textarea>
            </label>
            <button type="submit" class=BTN_PRIMARY>{if id.is_some() { "Save changes" } else { "Create" }}</button>
        </form>
    }
}

#[component]
fn PlacePage(kind: PlaceKind) -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let id =
        Memo::new(move |_| uuid::Uuid::parse_str(&params.read().get("id").unwrap_or_default()).unwrap_or_default());
    let place = RwSignal::new(None::<Result<Place, AppError>>);
    let assets = RwSignal::new(Vec::<AssetSummary>::new());
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| {
        let id = id.get();
        leptos::task::spawn_local(async move {
            place.set(Some(get_place(kind, id).await));
            let filter = match kind {
                PlaceKind::Location => AssetFilter { location_id: Some(id), ..Default::default() },
                PlaceKind::Vendor => AssetFilter { vendor_id: Some(id), ..Default::default() },
            };
            if let Ok(p) = list_assets(filter, None).await {
                assets.set(p.rows);
            }
        });
    });
    let remove = move |_| {
        if !confirm(&format!("Delete this {}? Its assets stay, without it.", kind.label().to_lowercase())) {
            return;
        }
        let id = id.get_untracked();
        leptos::task::spawn_local(async move {
            match delete_place(kind, id).await {
                Ok(()) =>
                {
                    #[cfg(feature = "hydrate")]
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(base(kind));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <AssetsNav active=base(kind) />
            <ErrorNotice error=Signal::derive(move || error.get()) />
            {move || match place.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <EmptyState title=format!("{} unavailable", kind.label()) body=e.to_string() /> }.into_any(),
                Some(Ok(p)) => view! {
                    <Title text=p.input.name.clone() />
                    <PageHeader title=p.input.name.clone() description=kind.label().to_string()>
                        <Show when=move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete))>
                            <button type="button" class=BTN_DANGER on:click=remove>"Delete"</button>
                        </Show>
                    </PageHeader>
                    <div class="grid gap-6 xl:grid-cols-[1fr_22rem]">
                        <div>
                            <section class=format!("{CARD} mb-6 p-5")><PlaceForm kind existing=Some(p.clone()) on_saved=Callback::new(|_| {}) /></section>
                            <section class=CARD>
                                <h2 class="border-b border-line px-5 py-3 text-sm font-semibold text-fg">{format!("Assets ({})", p.asset_count)}</h2>
                                <ul class="divide-y divide-line">
                                    {move || assets.get().into_iter().map(|a| view! {
                                        <li class="px-5 py-2 text-sm"><a class="text-fg hover:text-accent hover:underline" href=format!("/assets/{}", a.id)>{a.name.clone()}</a>
                                            <span class="ml-2 text-xs text-muted">{a.tag.clone().unwrap_or_default()}</span></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        </div>
                        <crate::links::LinksPanel kind=kind.record_kind() id=Signal::derive(move || id.get()) />
                    </div>
                }.into_any(),
            }}
        </Guarded>
    }
}
