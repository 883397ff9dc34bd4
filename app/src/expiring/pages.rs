//! `/expiring`: what ends within 30, 60 or 90 days (and what already has), with
//! the alert settings for administrators.
use super::api::{get_expiry_settings, list_expiring, save_expiry_settings};
use super::model::{ExpiringItem, ExpirySettings};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::error::AppError;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ExpiringPage() -> impl IntoView {
    let days = RwSignal::new(30i64);
    let items = RwSignal::new(None::<Result<Vec<ExpiringItem>, AppError>>);
    let session = use_session();
    Effect::new(move |_| {
        let d = days.get();
        leptos::task::spawn_local(async move { items.set(Some(list_expiring(d).await)) });
    });
    view! {
        <Guarded permission=Permission::DeskView>
            <Title text="Expiring" />
            <PageHeader title="Expiring" description="Warranties, licenses, domains, certificates and password rotation dates that end soon or have ended.">
                <div class="flex rounded-md border border-line" role="group" aria-label="Within">
                    {[30i64, 60, 90].into_iter().map(|d| view! {
                        <button type="button" data-testid=format!("within-{d}")
                            class=move || if days.get() == d { "bg-accent/15 px-3 py-1.5 text-sm font-medium text-fg" } else { "px-3 py-1.5 text-sm text-muted hover:text-fg" }
                            on:click=move |_| days.set(d)>{format!("{d} days")}</button>
                    }).collect_view()}
                </div>
            </PageHeader>
            <div class=format!("{CARD} mb-6 overflow-x-auto")>
                <table class="min-w-full divide-y divide-line" data-testid="expiring-table">
                    <thead><tr><th class=TH>"Ends"</th><th class=TH>"What"</th><th class=TH>"Record"</th><th class=TH>"Kind"</th></tr></thead>
                    <tbody class="divide-y divide-line">
                        {move || match items.get() {
                            None => view! { <tr><td colspan="4"><Loading /></td></tr> }.into_any(),
                            Some(Err(e)) => view! { <tr><td colspan="4" class=format!("{TD} text-danger")>{e.to_string()}</td></tr> }.into_any(),
                            Some(Ok(l)) if l.is_empty() => view! { <tr><td colspan="4" class="px-4 py-10 text-center text-sm text-muted">"Nothing ends in this period."</td></tr> }.into_any(),
                            Some(Ok(l)) => l.into_iter().map(|i| {
                                let tone = if i.days_left < 0 { Tone::Bad } else if i.days_left <= 14 { Tone::Warn } else { Tone::Neutral };
                                let when = match i.days_left {
                                    d if d < 0 => format!("{} · {} days ago", i.expires_on, -d),
                                    0 => format!("{} · today", i.expires_on),
                                    d => format!("{} · in {d} days", i.expires_on),
                                };
                                view! {
                                    <tr data-testid="expiring-row">
                                        <td class=TD><Badge text=when tone /></td>
                                        <td class=format!("{TD} text-muted")>{i.what.clone()}</td>
                                        <td class=TD><a class="font-medium text-fg hover:text-accent hover:underline" href=i.href.clone()>{i.title.clone()}</a></td>
                                        <td class=format!("{TD} text-muted")>{i.kind.label()}</td>
                                    </tr>
                                }
                            }).collect_view().into_any(),
                        }}
                    </tbody>
                </table>
            </div>
            <Show when=move || session.current().is_some_and(|u| u.can(Permission::SettingsManage))>
                <AlertSettings />
            </Show>
        </Guarded>
    }
}

#[component]
fn AlertSettings() -> impl IntoView {
    let thresholds = RwSignal::new(String::new());
    let recipients = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    let show = move |s: ExpirySettings| {
        thresholds.set(s.thresholds.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", "));
        recipients.set(s.recipients.join(", "));
    };
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(s) = get_expiry_settings().await {
                show(s);
            }
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(None);
        let parsed: Result<Vec<i64>, _> =
            thresholds.get_untracked().split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::parse).collect();
        let Ok(t) = parsed else {
            error
                .set(Some(AppError::field("thresholds", "Thresholds are whole numbers of days, separated by commas.")));
            return;
        };
        let r = recipients.get_untracked().split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        leptos::task::spawn_local(async move {
            match save_expiry_settings(ExpirySettings { thresholds: t, recipients: r }).await {
                Ok(s) => {
                    show(s);
                    saved.set(Some("Alert settings saved.".into()));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Section title="Alerts" description="A daily job sends one in-app notification per item and threshold to these people and, when outgoing mail is set up under Administration → Email, one email each listing them.">
            <form class="grid gap-4 sm:grid-cols-2" on:submit=submit data-testid="expiry-settings">
                <div class="sm:col-span-2"><ErrorNotice error=Signal::derive(move || error.get()) /><SuccessNotice message=Signal::derive(move || saved.get()) /></div>
                <label class="block"><span class=LABEL>"Days before the end"</span>
                    <input class=INPUT prop:value=move || thresholds.get() on:input=move |ev| thresholds.set(event_target_value(&ev)) placeholder="30, 14, 7" /></label>
                <label class="block"><span class=LABEL>"Recipients (emails; empty = all administrators)"</span>
                    <input class=INPUT prop:value=move || recipients.get() on:input=move |ev| recipients.set(event_target_value(&ev)) placeholder="it@example.com" /></label>
                <div><button type="submit" class=BTN_PRIMARY>"Save"</button></div>
            </form>
        </Section>
    }
}
