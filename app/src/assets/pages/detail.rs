//! `/assets/new` and `/assets/:id`: the asset form, its history and its links.
use super::{AssetsNav, Field};
use crate::assets::api::{create_asset, delete_asset, get_asset, update_asset};
use crate::assets::model::*;
use crate::assets::rules::{fmt_cents, parse_cents};
use crate::auth::model::{Permission, UserId};
use crate::context::use_session;
use crate::error::AppError;
use crate::links::chooser::RecordChooser;
use crate::links::model::RecordKind;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn NewAssetPage() -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <Title text="New asset" />
            <PageHeader title="New asset" />
            <AssetsNav active="/assets" />
            <Show when=move || mounted.get()>
                <Editor existing=None />
            </Show>
        </Guarded>
    }
}

#[component]
pub fn AssetDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| uuid::Uuid::parse_str(&params.read().get("id").unwrap_or_default()).unwrap_or_default());
    let detail = RwSignal::new(None::<Result<AssetDetail, AppError>>);
    let reload = move || {
        let id = id.get_untracked();
        leptos::task::spawn_local(async move { detail.set(Some(get_asset(id).await)) });
    };
    Effect::new(move |_| {
        id.track();
        reload();
    });
    view! {
        <Guarded permission=Permission::DeskView module=Module::Assets>
            <AssetsNav active="/assets" />
            {move || match detail.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <EmptyState title="Asset unavailable" body=e.to_string() /> }.into_any(),
                Some(Ok(d)) => {
                    let history = d.history.clone();
                    view! {
                        <Title text=d.asset.input.name.clone() />
                        <PageHeader title=d.asset.input.name.clone() description=format!("{} · {}", d.asset.input.asset_type.label(), d.asset.input.status.label()) />
                        <div class="grid gap-6 xl:grid-cols-[1fr_22rem]">
                            <div class="min-w-0"><Editor existing=Some(d.asset.clone()) on_saved=Callback::new(move |_| reload()) /></div>
                            <div>
                                <crate::links::LinksPanel kind=RecordKind::Asset id=Signal::derive(move || id.get()) />
                                <History events=history />
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </Guarded>
    }
}

#[component]
fn History(events: Vec<AssetEvent>) -> impl IntoView {
    view! {
        <section class=format!("{CARD} mb-6") aria-label="History" data-testid="asset-history">
            <h2 class="border-b border-line px-5 py-3 text-sm font-semibold text-fg">"History"</h2>
            <ol class="divide-y divide-line">
                {events.into_iter().map(|e| view! {
                    <li class="px-5 py-2.5 text-sm">
                        <p class="text-xs text-muted">{fmt_time(e.created_at)}" · "{e.actor.clone().unwrap_or_else(|| "System".into())}" · "{e.action.clone()}</p>
                        <ul class="mt-1 space-y-0.5">
                            {e.changes.into_iter().map(|(field, (old, new))| view! {
                                <li class="text-xs"><span class="text-muted">{field}": "</span>
                                    <span class="text-danger line-through">{old}</span>" → "<span class="text-good">{new}</span></li>
                            }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The form. With `existing`, saves changes over its version; otherwise creates.
#[component]
fn Editor(existing: Option<Asset>, #[prop(optional)] on_saved: Option<Callback<()>>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let id = existing.as_ref().map(|a| a.id);
    let version = RwSignal::new(existing.as_ref().map(|a| a.version).unwrap_or(0));
    let form = RwSignal::new(existing.as_ref().map(|a| a.input.clone()).unwrap_or_default());
    let assigned = RwSignal::new(existing.as_ref().and_then(|a| a.assigned_name.clone()).unwrap_or_default());
    let location = RwSignal::new(existing.as_ref().and_then(|a| a.location_name.clone()).unwrap_or_default());
    let vendor = RwSignal::new(existing.as_ref().and_then(|a| a.vendor_name.clone()).unwrap_or_default());
    let cost =
        RwSignal::new(existing.as_ref().and_then(|a| a.input.purchase_cost_cents).map(fmt_cents).unwrap_or_default());
    let custom = RwSignal::new(
        existing.as_ref().map(|a| a.input.custom_fields.clone().into_iter().collect::<Vec<_>>()).unwrap_or_default(),
    );
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    let field_error = move |name: &'static str| {
        Signal::derive(move || match error.get() {
            Some(AppError::Validation { fields, .. }) => fields.get(name).cloned(),
            _ => None,
        })
    };
    let text = move |get: fn(&AssetInput) -> String, put: fn(&mut AssetInput, String)| {
        (Signal::derive(move || form.with(get)), Callback::new(move |v: String| form.update(|f| put(f, v))))
    };
    let date = move |get: fn(&AssetInput) -> Option<chrono::NaiveDate>,
                     put: fn(&mut AssetInput, Option<chrono::NaiveDate>)| {
        (
            Signal::derive(move || form.with(get).map(|d| d.to_string()).unwrap_or_default()),
            Callback::new(move |v: String| {
                form.update(|f| put(f, chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()))
            }),
        )
    };
    let save = move |_| {
        error.set(None);
        saved.set(None);
        let cost_text = cost.get_untracked();
        let cents = if cost_text.trim().is_empty() {
            None
        } else {
            match parse_cents(&cost_text) {
                Some(c) => Some(c),
                None => {
                    error.set(Some(AppError::field("purchase_cost", "Enter the cost as a number, like 1299.00.")));
                    return;
                }
            }
        };
        let mut input = form.get_untracked();
        input.purchase_cost_cents = cents;
        input.custom_fields =
            custom.get_untracked().into_iter().filter(|(k, v)| !(k.trim().is_empty() && v.trim().is_empty())).collect();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = match id {
                Some(id) => update_asset(id, version.get_untracked(), input).await,
                None => create_asset(input).await,
            };
            match result {
                Ok(a) if id.is_none() => navigate(&format!("/assets/{}", a.id), Default::default()),
                Ok(a) => {
                    version.set(a.version);
                    saved.set(Some("Saved.".into()));
                    if let Some(cb) = on_saved {
                        cb.run(());
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |_| {
        let Some(id) = id else { return };
        if !confirm(&format!(
            "Delete \"{}\" and its links? This cannot be undone.",
            form.with_untracked(|f| f.name.clone())
        )) {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_asset(id).await {
                Ok(()) =>
                {
                    #[cfg(feature = "hydrate")]
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href("/assets");
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let may_delete = move || id.is_some() && session.current().is_some_and(|u| u.can(Permission::RecordsDelete));
    let (name, set_name) = text(|f| f.name.clone(), |f, v| f.name = v);
    let (tag, set_tag) = text(|f| f.tag.clone(), |f, v| f.tag = v);
    let (serial, set_serial) = text(|f| f.serial.clone(), |f, v| f.serial = v);
    let (make, set_make) = text(|f| f.make.clone(), |f, v| f.make = v);
    let (model, set_model) = text(|f| f.model.clone(), |f, v| f.model = v);
    let (os, set_os) = text(|f| f.os.clone(), |f, v| f.os = v);
    let (os_version, set_os_version) = text(|f| f.os_version.clone(), |f, v| f.os_version = v);
    let (purchased, set_purchased) = date(|f| f.purchased_on, |f, v| f.purchased_on = v);
    let (warranty, set_warranty) = date(|f| f.warranty_expires_on, |f, v| f.warranty_expires_on = v);
    view! {
        <form class=format!("{CARD} p-5") data-testid="asset-form" on:submit=move |ev| { ev.prevent_default(); save(()); }>
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <SuccessNotice message=Signal::derive(move || saved.get()) />
            <div class="grid gap-4 sm:grid-cols-2">
                <Field label="Name" value=name set=set_name testid="asset-name" error=field_error("name") />
                <Field label="Asset tag" value=tag set=set_tag testid="asset-tag" error=field_error("tag") />
                <label class="block"><span class=LABEL>"Type"</span>
                    <select class=INPUT data-testid="asset-type" on:change=move |ev| form.update(|f| f.asset_type = AssetType::parse(&event_target_value(&ev)).unwrap_or_default())>
                        {AssetType::ALL.into_iter().map(|t| view! { <option value=t.as_str() selected=move || form.with(|f| f.asset_type == t)>{t.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="block"><span class=LABEL>"Status"</span>
                    <select class=INPUT data-testid="asset-status" on:change=move |ev| form.update(|f| f.status = AssetStatus::parse(&event_target_value(&ev)).unwrap_or_default())>
                        {AssetStatus::ALL.into_iter().map(|t| view! { <option value=t.as_str() selected=move || form.with(|f| f.status == t)>{t.label()}</option> }).collect_view()}
                    </select>
                </label>
                <Field label="Serial number" value=serial set=set_serial error=field_error("serial") />
                <RecordChooser kind=RecordKind::User label="Assigned to" title=assigned testid="asset-assigned"
                    on_pick=Callback::new(move |c: Option<crate::links::model::LinkCandidate>| {
                        assigned.set(c.as_ref().map(|c| c.title.clone()).unwrap_or_default());
                        form.update(|f| f.assigned_to = c.map(|c| UserId(c.id)));
                    }) />
                <Field label="Make" value=make set=set_make />
                <Field label="Model" value=model set=set_model />
                <Field label="Operating system" value=os set=set_os />
                <Field label="OS version" value=os_version set=set_os_version />
                <RecordChooser kind=RecordKind::Location label="Location" title=location
                    on_pick=Callback::new(move |c: Option<crate::links::model::LinkCandidate>| {
                        location.set(c.as_ref().map(|c| c.title.clone()).unwrap_or_default());
                        form.update(|f| f.location_id = c.map(|c| c.id));
                    }) />
                <RecordChooser kind=RecordKind::Vendor label="Vendor" title=vendor
                    on_pick=Callback::new(move |c: Option<crate::links::model::LinkCandidate>| {
                        vendor.set(c.as_ref().map(|c| c.title.clone()).unwrap_or_default());
                        form.update(|f| f.vendor_id = c.map(|c| c.id));
                    }) />
                <Field label="Purchase date" kind="date" value=purchased set=set_purchased />
                <Field label="Purchase cost" value=Signal::derive(move || cost.get()) set=Callback::new(move |v| cost.set(v)) error=field_error("purchase_cost") />
                <Field label="Warranty ends" kind="date" value=warranty set=set_warranty testid="asset-warranty" error=field_error("warranty_expires_on") />
            </div>
            <label class="mt-4 block"><span class=LABEL>"Notes"</span>
                <textarea class=format!("{INPUT} min-h-24") prop:value=move || form.with(|f| f.notes.clone())
                    on:input=move |ev| form.update(|f| f.notes = event_target_value(&ev))></textarea>
            </label>
            <fieldset class="mt-4">
                <legend class=LABEL>"Custom fields"</legend>
                {move || custom.get().into_iter().enumerate().map(|(i, (k, v))| view! {
                    <div class="mb-2 flex gap-2">
                        <input class=INPUT placeholder="Label" aria-label="Custom field label" prop:value=k
                            on:change=move |ev| custom.update(|c| c[i].0 = event_target_value(&ev)) />
                        <input class=INPUT placeholder="Value" aria-label="Custom field value" prop:value=v
                            on:change=move |ev| custom.update(|c| c[i].1 = event_target_value(&ev)) />
                        <button type="button" class=BTN_GHOST aria-label="Remove field" on:click=move |_| custom.update(|c| { c.remove(i); })>"✕"</button>
                    </div>
                }).collect_view()}
                <button type="button" class=BTN_GHOST on:click=move |_| custom.update(|c| c.push((String::new(), String::new())))>"+ Add field"</button>
                {move || field_error("custom_fields").get().map(|m| view! { <p class="text-xs text-danger">{m}</p> })}
            </fieldset>
            <div class="mt-5 flex items-center gap-3">
                <button type="submit" class=BTN_PRIMARY data-testid="save-asset">{if id.is_some() { "Save changes" } else { "Create asset" }}</button>
                <Show when=may_delete>
                    <button type="button" class=format!("{BTN_DANGER} ml-auto") data-testid="delete-asset" on:click=remove>"Delete"</button>
                </Show>
            </div>
        </form>
    }
}
