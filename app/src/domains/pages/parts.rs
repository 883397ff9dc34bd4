//! Pieces shared by the Domains pages.
use crate::domains::model::{expiry_tone, Certificate, CheckStatus};
use crate::ui::*;
use leptos::prelude::*;

/// The last check as a badge with its time (or "Never checked").
#[component]
pub fn CheckBadge(
    status: Option<CheckStatus>,
    at: Option<chrono::DateTime<chrono::Utc>>,
    #[prop(optional, into)] error: Option<String>,
) -> impl IntoView {
    let tone = match status {
        Some(CheckStatus::Ok) => Tone::Good,
        Some(CheckStatus::Changed) => Tone::Warn,
        Some(CheckStatus::Failed) => Tone::Bad,
        None => Tone::Neutral,
    };
    let label = status.map(|s| s.label()).unwrap_or("Never checked");
    view! {
        <span class="inline-flex items-center gap-2" title=error.clone().unwrap_or_default()>
            <Badge text=label tone=tone />
            {at.map(|t| view! { <span class="text-xs text-muted">{fmt_short(t)}</span> })}
        </span>
    }
}

/// Days left, coloured when under 30 or past.
pub fn expiry_text(days: Option<i32>) -> &'static str {
    expiry_tone(days)
}

/// A table of certificates (host, domain, expiry, last check, name match).
#[component]
pub fn CertificateTable(certificates: Vec<Certificate>, #[prop(optional)] show_domain: bool) -> impl IntoView {
    if certificates.is_empty() {
        return view! { <p class="text-sm text-muted">"No certificates monitored yet."</p> }.into_any();
    }
    view! {
        <div class="overflow-x-auto">
            <table class="min-w-full divide-y divide-line" data-testid="certificate-table">
                <thead>
                    <tr>
                        <th class=TH>"Host"</th>
                        {show_domain.then(|| view! { <th class=TH>"Domain"</th> })}
                        <th class=TH>"Expires"</th>
                        <th class=TH>"Name"</th>
                        <th class=TH>"Last check"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-line">
                    {certificates.into_iter().map(|c| {
                        let href = format!("/domains/certificates/{}", c.id);
                        let target = format!("{}:{}", c.host, c.port);
                        let domain = c.domain_name.clone().zip(c.domain_id).map(|(n, id)| view! {
                            <a class="text-accent hover:underline" href=format!("/domains/{id}")>{n}</a>
                        });
                        let expiry = c.not_after.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <td class=TD><a class="font-medium text-fg hover:underline focus-visible:underline" href=href>{target}</a></td>
                                {show_domain.then(|| view! { <td class=TD>{domain}</td> })}
                                <td class=format!("{TD} whitespace-nowrap {}", expiry_text(c.expires_in_days))>{expiry}</td>
                                <td class=format!("{TD} whitespace-nowrap")>{match c.host_matches {
                                    Some(true) => view! { <Badge text="Matches" tone=Tone::Good /> }.into_any(),
                                    Some(false) => view! { <Badge text="Name mismatch" tone=Tone::Bad /> }.into_any(),
                                    None => view! { <span class="text-muted">"—"</span> }.into_any(),
                                }}</td>
                                <td class=TD><CheckBadge status=c.last_check_status at=c.last_checked_at error=c.last_check_error.clone().unwrap_or_default() /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Adds a certificate to monitor (optionally for a domain).
#[component]
pub fn AddCertificate(domain_id: Option<uuid::Uuid>, on_saved: Callback<uuid::Uuid>) -> impl IntoView {
    view! { <CertificateForm id=None host=String::new() port=443 domain_id on_saved /> }
}

/// Host and port of a monitored certificate: a new one (`id: None`) or a change
/// to one (the next check reads the new target).
#[component]
pub fn CertificateForm(
    id: Option<uuid::Uuid>,
    host: String,
    port: i32,
    domain_id: Option<uuid::Uuid>,
    on_saved: Callback<uuid::Uuid>,
) -> impl IntoView {
    let host = RwSignal::new(host);
    let port = RwSignal::new(port.to_string());
    let error = RwSignal::new(None::<crate::error::AppError>);
    let save = move || {
        error.set(None);
        let input = crate::domains::model::CertificateInput {
            id,
            host: host.get_untracked(),
            port: port.get_untracked().trim().parse().unwrap_or(0),
            domain_id,
        };
        leptos::task::spawn_local(async move {
            match crate::domains::api::save_certificate(input).await {
                Ok(c) => {
                    if id.is_none() {
                        host.set(String::new());
                    }
                    on_saved.run(c.id);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let (form_id, label) =
        if id.is_some() { ("edit-certificate", "Save") } else { ("add-certificate", "Monitor certificate") };
    view! {
        <form class="mt-4 flex flex-wrap items-end gap-3" data-testid=form_id
            on:submit=move |ev| { ev.prevent_default(); save(); }>
            <div class="min-w-[14rem] flex-1">
                <label class=LABEL for=format!("{form_id}-host")>"Host"</label>
                <input id=format!("{form_id}-host") class=INPUT bind:value=host placeholder="www.example.com" />
            </div>
            <div class="w-24">
                <label class=LABEL for=format!("{form_id}-port")>"Port"</label>
                <input id=format!("{form_id}-port") class=INPUT inputmode="numeric" bind:value=port />
            </div>
            <button type="submit" class=BTN_SECONDARY>{label}</button>
            <div class="basis-full"><ErrorNotice error=Signal::derive(move || error.get()) /></div>
        </form>
    }
}
